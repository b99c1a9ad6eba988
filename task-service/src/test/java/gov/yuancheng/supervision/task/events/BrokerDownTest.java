package gov.yuancheng.supervision.task.events;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import gov.yuancheng.supervision.task.store.TaskStore;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the broker unreachable, task-service keeps accepting changes; their events wait in the task
 * documents; when the broker is back the relay drains them, in order per task, none lost. The
 * scheduled relay is off here so that the test decides which broker the relay talks to.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "supervision.outbox.enabled=false")
@EmbeddedKafka(partitions = 3, topics = "supervision.task-events")
@ActiveProfiles("test")
class BrokerDownTest {

    static final TestJwtIssuer tokens = TestJwtIssuer.get();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MongoWireTestServer.uri("tasks_broker_down"));
        registry.add("spring.kafka.bootstrap-servers", () -> System.getProperty("spring.embedded.kafka.brokers"));
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", tokens::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwksUri);
    }

    @LocalServerPort
    int port;
    @Autowired
    MongoTemplate mongo;
    @Autowired
    JsonMapper json;
    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void changesAreAcceptedWhileTheBrokerIsDownAndTheirEventsArriveInOrderWhenItReturns() throws Exception {
        OutboxRelay down = relay("127.0.0.1:1", Duration.ofMillis(10));
        List<String> taskIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            var created = register("断网期间立项 " + i);
            assertThat(created.statusCode()).isEqualTo(201);
            taskIds.add(json.readTree(created.body()).get("id").asString());
        }

        down.relay();
        for (String id : taskIds) {
            assertThat(outbox(id)).as("events wait in the task").hasSize(2);
        }

        relay(broker.getBrokersAsString(), Duration.ofSeconds(10)).relay();

        Map<String, List<String>> types = new java.util.HashMap<>();
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "broker-down-check", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("supervision.task-events"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (types.values().stream().mapToInt(List::size).sum() < 10 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (taskIds.contains(r.key())) {
                        types.computeIfAbsent(r.key(), k -> new ArrayList<>())
                                .add(json.readTree(r.value()).get("type").asString());
                    }
                });
            }
        }
        for (String id : taskIds) {
            assertThat(types.get(id)).containsExactly("gov.supervision.task.registered.v1",
                    "gov.supervision.task.assigned.v1");
            assertThat(outbox(id)).isEmpty();
        }
    }

    private OutboxRelay relay(String bootstrap, Duration lease) {
        var producer = new DefaultKafkaProducerFactory<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000),
                new StringSerializer(), new ByteArraySerializer());
        return new OutboxRelay(List.of(TaskStore.taskOutbox(mongo)), new KafkaTemplate<>(producer), json,
                Clock.systemUTC(), "supervision.task-events", lease, 100, Duration.ofHours(1), Duration.ofHours(1));
    }

    private List<?> outbox(String taskId) {
        Document task = mongo.findOne(Query.query(Criteria.where("_id").is(taskId)), Document.class, "tasks");
        return task.getList("outbox", Object.class, List.of());
    }

    private HttpResponse<String> register(String title) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/tasks"))
                .header("Authorization", "Bearer " + tokens.token("dcs-zhang", "office-dcs", "supervisor"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"title":"%s","category":"livelihood","leadUnit":"dept-jyj","deadline":"2099-01-31"}
                        """.formatted(title))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
