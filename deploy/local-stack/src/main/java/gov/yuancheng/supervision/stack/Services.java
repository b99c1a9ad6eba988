package gov.yuancheng.supervision.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The four Spring Boot services, each from its own jar, pointed at the local Kafka, store and Keycloak. */
final class Services {

    static final List<String> ALL = List.of(StackConfig.TASK, StackConfig.NOTIFY, StackConfig.AUDIT,
            StackConfig.GATEWAY);

    private Services() {
    }

    static Child start(StackConfig config, String service) throws IOException {
        Path jar = config.home().resolve(service).resolve("target").resolve(service + ".jar");
        if (!Files.exists(jar)) {
            throw new StackException(jar + " is missing: build with ./mvnw -DskipTests package first.");
        }
        int port = config.port(service);
        List<String> command = new ArrayList<>();
        command.add(Java.binary());
        command.addAll(javaOptions(System.getenv()));
        command.addAll(List.of("-jar", jar.toString()));
        Path home = config.data().resolve(service);
        Files.createDirectories(home);
        return Child.start(service, command, environment(config, service), home, config.logs(),
                Probes.http200("http://127.0.0.1:" + port + "/actuator/health/readiness"));
    }

    /**
     * The services' JVM options: by default small heaps and the client compiler only, for quick starts and little
     * memory on a laptop; {@code SERVICE_JAVA_OPTS} replaces them (the benchmarks run the services as a server would,
     * with both compilers: the client compiler's code alone costs twice the CPU per request under a steady load).
     */
    static List<String> javaOptions(Map<String, String> env) {
        String options = env.getOrDefault("SERVICE_JAVA_OPTS", "");
        return options.isBlank() ? LAPTOP_OPTIONS : List.of(options.strip().split("\\s+"));
    }

    static final List<String> LAPTOP_OPTIONS = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xss512k");

    /** What a service is told about the stack: its port and where Kafka, the store, Keycloak and the others are. */
    static Map<String, String> environment(StackConfig config, String service) {
        int port = config.port(service);
        Map<String, String> env = new HashMap<>();
        env.put("PORT", String.valueOf(port));
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + config.port(StackConfig.KAFKA));
        env.put("KEYCLOAK_URL", config.keycloakUrl());
        env.put("KEYCLOAK_ISSUER", config.issuer());
        env.put("MONGODB_URI", MongoStore.uri(config, "supervision_" + service.replace("-service", "")));
        env.put("TASK_SERVICE_URL", "http://127.0.0.1:" + config.port(StackConfig.TASK));
        env.put("NOTIFY_SERVICE_URL", "http://127.0.0.1:" + config.port(StackConfig.NOTIFY));
        env.put("AUDIT_SERVICE_URL", "http://127.0.0.1:" + config.port(StackConfig.AUDIT));
        // notify-service's mails go to the stack's mail sink
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", String.valueOf(config.port(StackConfig.SMTP)));
        // The district's work plan as demo tasks, loaded once (task-service keys the import by its content).
        env.put("DEMO_PLAN", "true");
        // The audit log's Ed25519 signing key: made once, kept in the data folder, never in the database.
        env.put("AUDIT_SIGNING_KEY_FILE", config.data().resolve("audit").resolve("signing.key").toString());
        env.put("AUDIT_SIGNING_KEY_GENERATE", "true");
        return env;
    }
}
