package gov.yuancheng.supervision.stack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the stack lives and which loopback ports it uses; every value can be overridden by an
 * environment variable of the same name (for example {@code GATEWAY_PORT=9080}).
 */
record StackConfig(Path home, Path data, Path cache, Map<String, Integer> ports) {

    static final String GATEWAY = "gateway";
    static final String TASK = "task-service";
    static final String NOTIFY = "notify-service";
    static final String AUDIT = "audit-service";
    static final String KEYCLOAK = "keycloak";
    static final String KAFKA = "kafka";
    static final String KAFKA_CONTROLLER = "kafka-controller";
    static final String MONGO = "mongo-wire";
    static final String SMTP = "mail-smtp";
    static final String IMAP = "mail-imap";

    static StackConfig fromEnvironment(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("STACK_HOME", ".")).toAbsolutePath().normalize();
        Path data = Path.of(env.getOrDefault("STACK_DATA", home.resolve(".stack").toString())).toAbsolutePath();
        Path cache = Path.of(env.getOrDefault("STACK_CACHE",
                env.getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache") + "/supervision"));
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put(GATEWAY, port(env, "GATEWAY_PORT", 8080));
        ports.put(TASK, port(env, "TASK_SERVICE_PORT", 8081));
        ports.put(NOTIFY, port(env, "NOTIFY_SERVICE_PORT", 8082));
        ports.put(AUDIT, port(env, "AUDIT_SERVICE_PORT", 8083));
        ports.put(KEYCLOAK, port(env, "KEYCLOAK_PORT", 8180));
        ports.put(KAFKA, port(env, "KAFKA_PORT", 9092));
        ports.put(KAFKA_CONTROLLER, port(env, "KAFKA_CONTROLLER_PORT", 9093));
        ports.put(MONGO, port(env, "MONGO_PORT", 27017));
        ports.put(SMTP, port(env, "SMTP_PORT", 2525));
        ports.put(IMAP, port(env, "IMAP_PORT", 1143));
        return new StackConfig(home, data, cache.toAbsolutePath(), Map.copyOf(ports));
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a port number (1-65535).");
        }
    }

    int port(String component) {
        return ports.get(component);
    }

    String keycloakUrl() {
        return "http://127.0.0.1:" + port(KEYCLOAK);
    }

    String issuer() {
        return keycloakUrl() + "/realms/supervision";
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + port(GATEWAY);
    }

    Path logs() {
        return data.resolve("logs");
    }
}
