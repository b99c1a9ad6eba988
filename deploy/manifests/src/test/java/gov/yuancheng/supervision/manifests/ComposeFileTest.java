package gov.yuancheng.supervision.manifests;

import static gov.yuancheng.supervision.manifests.Repository.SERVICES;
import static gov.yuancheng.supervision.manifests.Repository.get;
import static gov.yuancheng.supervision.manifests.Repository.list;
import static gov.yuancheng.supervision.manifests.Repository.map;
import static gov.yuancheng.supervision.manifests.Repository.string;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads deploy/compose/compose.yaml as compose would (YAML merge keys resolved) and checks the production shape. */
class ComposeFileTest {

    private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:?[?-])");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|CLUSTER_ID).*");
    private static final Pattern URI_PASSWORD = Pattern.compile("://[^:/@]+:([^@]*)@");

    private static String text;
    private static Map<String, Object> services;

    @BeforeAll
    static void load() {
        text = Repository.read("deploy/compose/compose.yaml");
        Map<String, Object> compose = Repository.yaml().load(text);
        services = map(compose, "services");
    }

    @Test
    void aMongoReplicaSetOfThreeIsInitiated() {
        List<String> members = names(s -> String.valueOf(s.get("image")).startsWith("mongo:")
                && !"no".equals(string(s, "restart")));
        assertThat(members).containsExactly("mongo1", "mongo2", "mongo3");
        for (String member : members) {
            assertThat(String.join(" ", strings(get(services.get(member), "entrypoint"))))
                    .contains("--replSet rs0").contains("--keyFile");
        }
        assertThat(condition("mongo-init", "mongo1")).isEqualTo("service_healthy");
        String init = Repository.read("deploy/compose/mongo-init.js");
        assertThat(init).contains("rs.initiate(").contains("mongo1:27017").contains("mongo2:27017")
                .contains("mongo3:27017");
    }

    @Test
    void threeKafkaBrokersReplicateEveryEventTwice() {
        List<String> brokers = names(s -> String.valueOf(s.get("image")).startsWith("apache/kafka:")
                && !"no".equals(string(s, "restart")));
        assertThat(brokers).containsExactly("kafka1", "kafka2", "kafka3");
        Set<String> nodeIds = new HashSet<>();
        Set<String> clusterIds = new HashSet<>();
        for (String broker : brokers) {
            Map<String, Object> env = environment(broker);
            assertThat(env.get("KAFKA_DEFAULT_REPLICATION_FACTOR")).as(broker).isEqualTo("3");
            assertThat(env.get("KAFKA_MIN_INSYNC_REPLICAS")).as(broker).isEqualTo("2");
            assertThat(env.get("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE")).as(broker).isEqualTo("false");
            assertThat(env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).as(broker).isEqualTo("3");
            assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).as(broker).isEqualTo("2");
            assertThat(String.valueOf(env.get("KAFKA_PROCESS_ROLES"))).as(broker).contains("broker");
            assertThat(String.valueOf(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")))
                    .contains("@kafka1:").contains("@kafka2:").contains("@kafka3:");
            assertThat(String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS"))).contains("//" + broker + ":");
            nodeIds.add(String.valueOf(env.get("KAFKA_NODE_ID")));
            clusterIds.add(String.valueOf(env.get("CLUSTER_ID")));
        }
        assertThat(nodeIds).as("distinct node ids").hasSize(3);
        assertThat(clusterIds).as("one cluster").hasSize(1);
        // automatic creation is off, so every topic a service uses must be made by the init job with RF 3
        String topics = Repository.read("deploy/compose/kafka-topics.sh");
        assertThat(topics).contains("--replication-factor 3").contains("min.insync.replicas=2");
        for (String topic : List.of("supervision.task-events", "supervision.notification-events",
                "supervision.security-events", "supervision.task-events.audit-service.dlt",
                "supervision.task-events.notify-service.dlt")) {
            assertThat(topics).contains(topic);
        }
        for (String service : SERVICES) {
            assertThat(environment(service).get("TOPIC_REPLICAS")).as(service).isEqualTo("3");
        }
    }

    @Test
    void keycloakRunsOnPostgresAndImportsTheRealmOnly() {
        Map<String, Object> keycloak = map(services, "keycloak");
        assertThat(string(keycloak, "image")).startsWith("quay.io/keycloak/keycloak:26.5");
        assertThat(string(map(services, "postgres"), "image")).startsWith("postgres:");
        assertThat(environment("keycloak").get("KC_DB")).isEqualTo("postgres");
        assertThat(condition("keycloak", "postgres")).isEqualTo("service_healthy");
        List<String> volumes = strings(keycloak.get("volumes"));
        assertThat(volumes).anyMatch(v -> v.contains("supervision-realm.json"));
        assertThat(volumes).noneMatch(v -> v.contains("users"));
        assertThat(strings(keycloak.get("command"))).contains("--import-realm").doesNotContain("start-dev");
    }

    @Test
    void twoReplicasOfEveryServiceStartAfterWhatTheyNeed() {
        for (String service : SERVICES) {
            assertThat(get(services.get(service), "deploy", "replicas")).as(service + " replicas").isEqualTo(2);
            Map<String, Object> env = environment(service);
            assertThat(env.get("BIND_ADDRESS")).as(service).isEqualTo("0.0.0.0");
            assertThat(String.valueOf(env.get("JAVA_TOOL_OPTIONS"))).as(service).contains("MaxRAMPercentage");
            assertThat(String.valueOf(env.get("MONGODB_URI"))).as(service)
                    .contains("mongo1:27017,mongo2:27017,mongo3:27017").contains("replicaSet=rs0");
            assertThat(String.valueOf(env.get("KAFKA_BOOTSTRAP_SERVERS"))).as(service)
                    .isEqualTo("kafka1:9092,kafka2:9092,kafka3:9092");
            assertThat(strings(get(services.get(service), "healthcheck", "test"))).as(service)
                    .anyMatch(t -> t.endsWith("/actuator/health/readiness"));
            assertThat(condition(service, "mongo-init")).isEqualTo("service_completed_successfully");
            assertThat(condition(service, "kafka-init")).isEqualTo("service_completed_successfully");
            assertThat(condition(service, "keycloak")).isEqualTo("service_healthy");
            // each service's health check asks the port the service is told to use
            assertThat(String.join(" ", strings(get(services.get(service), "healthcheck", "test"))))
                    .contains(":" + env.get("PORT") + "/");
        }
        for (String backend : List.of("task-service", "notify-service", "audit-service")) {
            assertThat(condition("gateway", backend)).isEqualTo("service_healthy");
            assertThat(get(services.get(backend), "ports")).as(backend + " is not published").isNull();
        }
        assertThat(get(services.get("gateway"), "ports")).as("two gateway replicas cannot share a host port").isNull();
        assertThat(condition("edge", "gateway")).isEqualTo("service_healthy");
        assertThat(get(services.get("edge"), "ports")).isNotNull();
    }

    @Test
    void everyLongRunningContainerHasAHealthCheckAndAMemoryLimit() {
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            String name = entry.getKey();
            Object service = entry.getValue();
            assertThat(string(service, "deploy", "resources", "limits", "memory")).as(name + " memory limit")
                    .isNotBlank();
            boolean job = "no".equals(string(service, "restart"));
            if (!job) {
                assertThat(string(service, "restart")).as(name + " restarts").isEqualTo("unless-stopped");
                assertThat(list(service, "healthcheck", "test")).as(name + " health check").isNotEmpty();
            }
            for (Map.Entry<String, Object> dependency : map(service, "depends_on").entrySet()) {
                String condition = string(dependency.getValue(), "condition");
                boolean dependencyIsJob = "no".equals(string(services.get(dependency.getKey()), "restart"));
                assertThat(condition).as(name + " waits for " + dependency.getKey())
                        .isEqualTo(dependencyIsJob ? "service_completed_successfully" : "service_healthy");
            }
        }
    }

    @Test
    void noSecretIsWrittenInTheFile() {
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            for (Map.Entry<String, Object> variable : environment(entry.getKey()).entrySet()) {
                String value = String.valueOf(variable.getValue());
                String where = entry.getKey() + " " + variable.getKey();
                if (SECRET_NAME.matcher(variable.getKey()).matches()) {
                    assertThat(value).as(where).startsWith("${");
                }
                Matcher password = URI_PASSWORD.matcher(value);
                while (password.find()) {
                    assertThat(password.group(1)).as(where + " password in a URI").startsWith("${");
                }
            }
        }
        assertThat(text).doesNotContainIgnoringCase("dev-secret").doesNotContain("Demo@2026");
        assertThat(Repository.read(".gitignore")).contains("deploy/compose/.env").contains("deploy/compose/secrets/");
    }

    @Test
    void theExampleEnvironmentNamesEveryVariable() {
        Set<String> example = new TreeSet<>();
        for (String line : Repository.read("deploy/compose/.env.example").split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                example.add(line.substring(0, line.indexOf('=')));
            }
        }
        Set<String> used = new TreeSet<>();
        Matcher m = REQUIRED.matcher(text);
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).contains("MONGO_ROOT_PASSWORD", "KAFKA_CLUSTER_ID", "GATEWAY_CLIENT_SECRET");
        assertThat(example).containsAll(used);
        for (String line : Repository.read("deploy/compose/.env.example").split("\n")) {
            if (SECRET_NAME.matcher(line.split("=")[0]).matches() && !line.startsWith("#")) {
                assertThat(line).as("the example holds no secret").endsWith("=");
            }
        }
    }

    @Test
    void theServicesAreGivenOnlySettingsTheyRead() {
        Set<String> read = new HashSet<>();
        SERVICES.forEach(s -> read.addAll(Repository.variablesReadBy(s)));
        for (String service : SERVICES) {
            for (String name : environment(service).keySet()) {
                assertThat(read.contains(name) || Repository.readByPlatform(name))
                        .as(service + ": " + name + " is read by no service").isTrue();
            }
        }
        assertThat(environment("audit-service").get("AUDIT_SIGNING_KEY_GENERATE")).isEqualTo("false");
    }

    private static Map<String, Object> environment(String service) {
        Object env = get(services.get(service), "environment");
        return env instanceof Map<?, ?> m ? new LinkedHashMap<>(map(env)) : Map.of();
    }

    private static String condition(String service, String dependency) {
        return string(services.get(service), "depends_on", dependency, "condition");
    }

    private static List<String> names(java.util.function.Predicate<Map<String, Object>> test) {
        return services.entrySet().stream().filter(e -> test.test(map(e.getValue()))).map(Map.Entry::getKey)
                .sorted().toList();
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }
}
