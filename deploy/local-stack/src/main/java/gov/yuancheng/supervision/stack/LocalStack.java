package gov.yuancheng.supervision.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Starts the whole supervision system on loopback: the Mongo-wire store, a Kafka broker and Keycloak,
 * then the four services once the store and Kafka are up. Prints progress, then the URL and the demo
 * logins; Ctrl-C stops every process it started. Data stays in the data folder between starts.
 */
public final class LocalStack {

    private final StackConfig config;
    private final Instant started = Instant.now();
    private final List<Child> children = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopping;

    LocalStack(StackConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        StackConfig config;
        try {
            config = StackConfig.fromEnvironment(System.getenv());
        }
        catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LocalStack stack = new LocalStack(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stop();
            stopped.countDown();
        }, "stack-shutdown"));
        try {
            stack.start();
        }
        catch (StackException e) {
            System.err.println();
            System.err.println("The stack could not start: " + e.getMessage());
            System.exit(1);
        }
        stack.watch();
    }

    void start() throws Exception {
        refuseTakenPorts();
        Files.createDirectories(config.data());
        String classpath = Files.readString(classpathFile()).trim();
        System.out.println("督查督办系统 local stack: data in " + config.data() + ", logs in " + config.logs());

        Child mongo = launch(MongoStore.start(config, classpath));
        Child kafka = launch(Kafka.start(config, classpath));
        Child keycloak = launch(Keycloak.start(config));
        Child mail = launch(MailSink.start(config, classpath));
        ready(mongo, Duration.ofSeconds(60));
        ready(mail, Duration.ofSeconds(60));
        ready(kafka, Duration.ofSeconds(90));

        List<Child> services = new ArrayList<>();
        for (String service : Services.ALL) {
            services.add(launch(Services.start(config, service)));
        }
        ready(keycloak, Duration.ofSeconds(240));
        for (Child service : services) {
            ready(service, Duration.ofSeconds(180));
        }
        printWelcome();
    }

    private Child launch(Child child) {
        children.add(child);
        return child;
    }

    private void ready(Child child, Duration timeout) throws InterruptedException {
        Duration took = child.awaitReady(started, timeout);
        System.out.printf("  [%5.1f s] %-15s ready (pid %d)%n", took.toMillis() / 1000.0, child.name, child.pid());
    }

    private void refuseTakenPorts() {
        List<String> taken = config.ports().entrySet().stream()
                .filter(e -> !Probes.isFree(e.getValue()) || Probes.tcp(e.getValue()).getAsBoolean())
                .map(e -> "  port " + e.getValue() + " (" + e.getKey() + ")")
                .collect(Collectors.toList());
        if (!taken.isEmpty()) {
            throw new StackException("these loopback ports are taken:\n" + String.join("\n", taken)
                    + "\nStop whatever uses them (an earlier stack?), or choose other ports with GATEWAY_PORT, "
                    + "TASK_SERVICE_PORT, NOTIFY_SERVICE_PORT, AUDIT_SERVICE_PORT, KEYCLOAK_PORT, KAFKA_PORT, "
                    + "KAFKA_CONTROLLER_PORT, MONGO_PORT, SMTP_PORT, IMAP_PORT.");
        }
    }

    private Path classpathFile() {
        Path file = config.home().resolve("deploy/local-stack/target/classpath.txt");
        if (!Files.exists(file)) {
            throw new StackException(file + " is missing: build with ./mvnw -DskipTests package first.");
        }
        return file;
    }

    private void printWelcome() throws IOException {
        Duration total = Duration.between(started, Instant.now());
        System.out.println();
        System.out.printf("Stack ready in %.1f s.%n", total.toMillis() / 1000.0);
        System.out.println();
        System.out.println("  Web UI and API:   " + config.gatewayUrl() + "/");
        System.out.println("  Keycloak:         " + config.keycloakUrl() + "/admin/  (admin / "
                + Keycloak.adminPassword(config.data().resolve("keycloak")) + ")");
        System.out.println("  Kafka:            127.0.0.1:" + config.port(StackConfig.KAFKA));
        System.out.println("  Mongo-wire store: mongodb://127.0.0.1:" + config.port(StackConfig.MONGO));
        System.out.println("  Mail (any user):  smtp://127.0.0.1:" + config.port(StackConfig.SMTP) + "  imap://127.0.0.1:"
                + config.port(StackConfig.IMAP) + "  (log in with the recipient's address, any password)");
        System.out.println();
        System.out.println("  Demo logins (local stack only):");
        JsonNode users = new ObjectMapper().readTree(
                Keycloak.realmDir(config).resolve("supervision-users-0.json").toFile()).get("users");
        for (JsonNode user : users) {
            String groups = user.path("groups").isEmpty() ? String.join(",", roles(user))
                    : user.path("groups").get(0).asText().replaceAll(".*/", "");
            System.out.printf("    %-14s %-12s %-10s %s%n", user.get("username").asText(),
                    user.path("credentials").path(0).path("value").asText(),
                    user.path("firstName").asText() + user.path("lastName").asText(), groups);
        }
        System.out.println();
        System.out.println("  A token for curl: curl -s -d grant_type=password -d client_id=supervision-cli "
                + "-d username=dcs-zhang -d password=Demo@2026 " + config.issuer() + "/protocol/openid-connect/token");
        System.out.println();
        System.out.println("Press Ctrl-C to stop.");
    }

    private static List<String> roles(JsonNode user) {
        List<String> roles = new ArrayList<>();
        user.path("realmRoles").forEach(r -> {
            if (!r.asText().startsWith("default-roles")) {
                roles.add(r.asText());
            }
        });
        return roles;
    }

    /** Keeps running while every child lives; if one dies, says so and stops the rest. */
    void watch() throws InterruptedException {
        while (!stopping) {
            for (Child child : List.copyOf(children)) {
                if (!child.isAlive() && !stopping) {
                    System.err.println(child.name + " stopped unexpectedly; stopping the stack. Its log: " + child.log);
                    System.err.println(child.tail());
                    System.exit(1);
                }
            }
            Thread.sleep(1000);
        }
    }

    /** Services first, then Keycloak, Kafka and the store, so that nothing loses its dependencies mid-write. */
    void stop() {
        stopping = true;
        List<Child> reverse = new ArrayList<>(children);
        Collections.reverse(reverse);
        if (reverse.isEmpty()) {
            return;
        }
        System.out.println("Stopping...");
        reverse.stream().filter(c -> Services.ALL.contains(c.name)).parallel()
                .forEach(c -> c.stop(Duration.ofSeconds(20)));
        reverse.stream().filter(c -> !Services.ALL.contains(c.name)).forEach(c -> c.stop(Duration.ofSeconds(30)));
        System.out.println("Stopped.");
    }

}
