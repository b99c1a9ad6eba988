package gov.yuancheng.supervision.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local stack as a person starts it, on ports of its own so that it does not collide with a
 * developer's running stack: the launcher process, its output, and real Keycloak tokens.
 */
final class Stack {

    /** Moves every port by this much (-De2e.port-offset=...), to run beside another test stack. */
    static final int OFFSET = Integer.getInteger("e2e.port-offset", 0);
    static final int GATEWAY = 18080 + OFFSET;
    static final int TASK = 18081 + OFFSET;
    static final int NOTIFY = 18082 + OFFSET;
    static final int AUDIT = 18083 + OFFSET;
    static final int KEYCLOAK = 18180 + OFFSET;
    static final int MONGO = 27018 + OFFSET;
    static final int SMTP = 12525 + OFFSET;
    static final int IMAP = 11143 + OFFSET;
    static final String PASSWORD = "Demo@2026";

    static final JsonMapper json = JsonMapper.builder().build();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path home = Path.of(System.getProperty("stack.home", "..")).toAbsolutePath().normalize();
    private final Path data = Path.of(System.getProperty("stack.data", "target/stack-data")).toAbsolutePath();
    private final List<String> output = new ArrayList<>();
    private Process launcher;

    /** Starts from an empty data folder. */
    void startFresh() throws Exception {
        startFresh(Map.of());
    }

    /** Starts from a data folder that holds only the given files (paths relative to it). */
    void startFresh(Map<String, String> files) throws Exception {
        if (Files.exists(data)) {
            try (var walk = Files.walk(data)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        for (var file : files.entrySet()) {
            Path path = data.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue() + "\n");
        }
        start();
    }

    /** Starts on the data the previous start left. */
    void start() throws Exception {
        Path classes = home.resolve("deploy/local-stack/target/classes");
        String classpath = classes + ":" + Files.readString(home.resolve("deploy/local-stack/target/classpath.txt")).trim();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "gov.yuancheng.supervision.stack.LocalStack").redirectErrorStream(true);
        builder.environment().putAll(Map.of("STACK_HOME", home.toString(), "STACK_DATA", data.toString(),
                "GATEWAY_PORT", "" + GATEWAY, "TASK_SERVICE_PORT", "" + TASK, "NOTIFY_SERVICE_PORT", "" + NOTIFY,
                "AUDIT_SERVICE_PORT", "" + AUDIT, "KEYCLOAK_PORT", "" + KEYCLOAK, "KAFKA_PORT", "" + (19092 + OFFSET),
                "KAFKA_CONTROLLER_PORT", "" + (19093 + OFFSET), "MONGO_PORT", "" + MONGO));
        builder.environment().putAll(Map.of("SMTP_PORT", "" + SMTP, "IMAP_PORT", "" + IMAP));
        launcher = builder.start();
        output.clear();
        BufferedReader lines = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
        for (String line; (line = lines.readLine()) != null;) {
            output.add(line);
            System.out.println("[stack] " + line);
            if (line.startsWith("Press Ctrl-C to stop")) {
                Thread drain = new Thread(() -> lines.lines().forEach(l -> System.out.println("[stack] " + l)));
                drain.setDaemon(true);
                drain.start();
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                break;
            }
        }
        throw new IllegalStateException("The stack did not start (its services' logs are kept in " + keepLogs()
                + "):\n" + String.join("\n", output));
    }

    /**
     * Copies the services' logs beside the data folder, which the next test's start empties, so that a failed start
     * can be read afterwards; returns where.
     */
    private Path keepLogs() throws IOException {
        Path logs = data.resolve("logs");
        Path kept = data.resolveSibling("failed-start-" + Instant.now().toString().replace(':', '-'));
        if (Files.isDirectory(logs)) {
            try (var walk = Files.walk(logs)) {
                for (Path from : walk.toList()) {
                    Path to = kept.resolve(logs.relativize(from).toString());
                    if (Files.isDirectory(from)) {
                        Files.createDirectories(to);
                    }
                    else {
                        Files.copy(from, to);
                    }
                }
            }
        }
        return kept;
    }

    List<String> output() {
        return List.copyOf(output);
    }

    /** Like Ctrl-C: the launcher stops every process it started. */
    void stop() throws InterruptedException {
        if (launcher != null && launcher.isAlive()) {
            launcher.destroy();
            if (!launcher.waitFor(120, TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
            }
        }
    }

    /** A real access token from Keycloak, by the password grant of the public command-line client. */
    static String token(String username) throws Exception {
        return tokenFor(Map.of("grant_type", "password", "client_id", "supervision-cli", "username", username,
                "password", PASSWORD));
    }

    /** A real token of notify-service's service account: signed by Keycloak, but not for the services' audience. */
    static String serviceAccountToken() throws Exception {
        return tokenFor(Map.of("grant_type", "client_credentials", "client_id", "supervision-notify",
                "client_secret", "supervision-notify-dev-secret"));
    }

    private static String tokenFor(Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + KEYCLOAK + "/realms/supervision/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused a token: " + response.body());
        }
        return json.readTree(response.body()).get("access_token").asString();
    }

    static HttpResponse<String> get(int port, String path, String token) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path, String token, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode read(HttpResponse<String> response) {
        return json.readTree(response.body());
    }
}
