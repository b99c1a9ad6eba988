package gov.yuancheng.supervision.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import gov.yuancheng.supervision.testing.MongoWireTestServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two task-service replicas on one store and one broker, as production runs them: a change sent to both at once with
 * the same version is applied once; changes without a version all land, none overwritten; and each event reaches
 * Kafka once although both relays run.
 */
class TwoReplicasTest extends ServiceTestBase {

    static ConfigurableApplicationContext second;
    final List<String> types = new ArrayList<>();

    /** Started once this test's own context (and with it the embedded broker) is up: it needs the broker's address. */
    @BeforeEach
    void startSecondReplica() {
        if (second != null) {
            return;
        }
        second = new SpringApplicationBuilder(TaskServiceApplication.class).profiles("test").run("--server.port=0",
                "--spring.mongodb.uri=" + MongoWireTestServer.uri("tasks_it"),
                "--spring.kafka.bootstrap-servers=" + System.getProperty("spring.embedded.kafka.brokers"),
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + tokens.issuer(),
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + tokens.jwksUri());
    }

    @AfterAll
    static void stopSecondReplica() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    @Test
    void theSameVersionSentToBothReplicasAtOnceIsAppliedOnce() throws Exception {
        String id = newTask("两个副本同时签收").get("id").asString();
        var ifMatch = Map.of("If-Match", "\"0\"");

        List<Integer> statuses = both(
                () -> post("/api/tasks/" + id + "/acknowledge", FGJ, "", ifMatch).statusCode(),
                () -> onSecond().post("/api/tasks/" + id + "/acknowledge", FGJ, "", ifMatch).statusCode());

        assertThat(statuses).containsExactlyInAnyOrder(200, 412);
        JsonNode task = read(get("/api/tasks/" + id, OFFICE));
        assertThat(task.get("version").asLong()).isEqualTo(1);
    }

    @Test
    void reportsSentToBothReplicasWithoutAVersionAllLandAndEachEventIsPublishedOnce() throws Exception {
        String id = newTask("两个副本同时报送进展").get("id").asString();
        assertThat(post("/api/tasks/" + id + "/acknowledge", FGJ, "").statusCode()).isEqualTo(200);
        int perReplica = 10;
        var pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < perReplica; i++) {
            int n = i;
            sent.add(pool.submit(() -> report(this, id, "本副本第" + n + "次")));
            sent.add(pool.submit(() -> report(onSecond(), id, "另一副本第" + n + "次")));
        }
        int accepted = 0;
        int refused = 0;
        for (var result : sent) {
            int status = result.get();
            // A change that keeps losing races is refused with 409 "try again", never half-applied or lost.
            assertThat(status).isIn(200, 409);
            accepted += status == 200 ? 1 : 0;
            refused += status == 409 ? 1 : 0;
        }
        pool.shutdown();
        assertThat(refused).as("lost races are redone on the fresh task").isLessThanOrEqualTo(2);

        JsonNode task = read(get("/api/tasks/" + id, OFFICE));
        int reports = 0;
        for (JsonNode assignment : task.get("assignments")) {
            reports += assignment.path("reports").size();
        }
        assertThat(reports).isEqualTo(accepted);
        assertThat(task.get("version").asLong()).isEqualTo(1 + accepted);

        // registered, assigned to the lead unit and to the co-unit, acknowledged, then one progress-reported per
        // accepted report
        Map<String, Integer> copies = eventsOf(id, 4 + accepted);
        assertThat(copies).hasSize(4 + accepted);
        assertThat(copies.values()).as("no event published twice").allMatch(count -> count == 1);
        assertThat(types.stream().filter(type -> type.endsWith(".progress-reported.v1")).count()).isEqualTo(accepted);
    }

    private static int report(ServiceTestBase replica, String id, String text) throws Exception {
        return replica.post("/api/tasks/" + id + "/reports", FGJ, """
                {"text":"%s","percent":10}
                """.formatted(text)).statusCode();
    }

    /** The same test client aimed at the second replica. */
    private ServiceTestBase onSecond() {
        var other = new ServiceTestBase() { };
        other.port = ((WebServerApplicationContext) second).getWebServer().getPort();
        other.json = json;
        return other;
    }

    private static List<Integer> both(Callable<Integer> a, Callable<Integer> b) throws Exception {
        var pool = Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(a);
            var other = pool.submit(b);
            return List.of(first.get(), other.get());
        }
        finally {
            pool.shutdown();
        }
    }

    /** Every event of the task on the topic, by event id, with how many times each was published. */
    private Map<String, Integer> eventsOf(String taskId, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                System.getProperty("spring.embedded.kafka.brokers"), ConsumerConfig.GROUP_ID_CONFIG,
                "two-replicas-" + taskId, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Integer> copies = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            // The partitions themselves, from the start: no consumer group to join, so nothing waits on a rebalance.
            var partitions = consumer.partitionsFor("supervision.task-events").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (taskId.equals(record.key())) {
                        JsonNode event = json.readTree(record.value());
                        if (copies.merge(event.get("id").asString(), 1, Integer::sum) == 1) {
                            types.add(event.get("type").asString());
                        }
                    }
                });
                if (copies.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    // Keep reading a little longer: a duplicate would arrive after the originals.
                    quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return copies;
    }
}
