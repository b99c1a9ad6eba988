package gov.yuancheng.supervision.audit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Consumes the events task-service documents in its contract examples, over a real KRaft broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(partitions = 3, topics = {"supervision.task-events", "supervision.notification-events",
        "supervision.security-events", "supervision.task-events.audit-service.dlt"})
@ActiveProfiles("test")
class AuditServiceIntegrationTest {

    static final Path CONTRACT_EXAMPLES = Path.of("../task-service/src/main/resources/contracts/examples");
    static final TestJwtIssuer tokens = TestJwtIssuer.get();
    static final String INSPECTOR = tokens.token("jw-zhao", "dept-jw", "inspector");
    static final String SUPERVISOR = tokens.token("dcs-zhang", "office-dcs", "supervisor");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MongoWireTestServer.uri("audit_it"));
        registry.add("spring.kafka.bootstrap-servers", () -> System.getProperty("spring.embedded.kafka.brokers"));
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", tokens::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwksUri);
    }

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    MongoTemplate mongo;
    @Autowired
    MeterRegistry meters;
    @Autowired
    JsonMapper json;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRedeliveredEventBecomesOneRecordWithItsActorAndOrigin() throws Exception {
        ObjectNode event = example("task.assigned.v1");
        String taskId = event.get("subject").asString();

        send("supervision.task-events", taskId, json.writeValueAsBytes(event));
        send("supervision.task-events", taskId, json.writeValueAsBytes(event));

        await().atMost(Duration.ofSeconds(20)).until(() -> records(taskId).size() == 1);
        Thread.sleep(500);
        List<JsonNode> records = records(taskId);
        assertThat(records).hasSize(1);
        JsonNode record = records.get(0);
        assertThat(record.get("eventId").asString()).isEqualTo(event.get("id").asString());
        assertThat(record.get("type").asString()).isEqualTo("gov.supervision.task.assigned.v1");
        assertThat(record.get("actor").get("name").asString()).isEqualTo("张 明");
        assertThat(record.get("actor").get("unit").asString()).isEqualTo("office-dcs");
        assertThat(record.get("clientAddress").asString()).isEqualTo("10.12.0.7");
        assertThat(record.get("traceparent").asString()).startsWith("00-4bf92f35");
        assertThat(record.get("data").get("unit").asString()).isEqualTo("dept-fgj");
        assertThat(record.get("seq").asLong()).isPositive();
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopicIsCountedAndDoesNotStallThePartition() throws Exception {
        double before = deadLetters();
        ObjectNode event = example("task.registered.v1");
        String taskId = UUID.randomUUID().toString();
        event.put("id", UUID.randomUUID().toString());
        event.put("subject", taskId);

        send("supervision.task-events", taskId, "{not json".getBytes(StandardCharsets.UTF_8));
        send("supervision.task-events", taskId, json.writeValueAsBytes(event));

        await().atMost(Duration.ofSeconds(20)).until(() -> records(taskId).size() == 1);
        assertThat(deadLetters()).isEqualTo(before + 1);
        assertThat(deadLetterValues()).contains("{not json");
    }

    @Test
    void eventsOfEveryTopicAreRecorded() throws Exception {
        ObjectNode event = example("task.registered.v1");
        String subject = UUID.randomUUID().toString();
        event.put("id", UUID.randomUUID().toString());
        event.put("subject", subject);
        event.put("type", "gov.supervision.security.login.v1");

        send("supervision.security-events", subject, json.writeValueAsBytes(event));

        await().atMost(Duration.ofSeconds(20)).until(() -> records(subject).size() == 1);
        assertThat(records(subject).get(0).get("topic").asString()).isEqualTo("supervision.security-events");
    }

    @Test
    void onlyInspectorsReadTheTrail() throws Exception {
        assertThat(get("/api/audit/records", INSPECTOR).statusCode()).isEqualTo(200);
        var forbidden = get("/api/audit/records", SUPERVISOR);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(get("/api/audit/records", tokens.token("fgj-li", "dept-fgj", "unit")).statusCode()).isEqualTo(403);
        assertThat(get("/api/audit/records", "").statusCode()).isEqualTo(401);
        assertThat(get("/api/audit/records", tokens.wrongAudienceToken("jw-zhao", "dept-jw", "inspector"))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void searchValuesAreValidatedNotPassedThrough() throws Exception {
        var response = get("/api/audit/records?subject=%7B%22%24ne%22%3A1%7D", INSPECTOR);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void thereIsNoWayToChangeOrDeleteARecordThroughTheApi() throws Exception {
        for (String method : List.of("PUT", "PATCH", "DELETE", "POST")) {
            var response = http.send(request("/api/audit/records", INSPECTOR)
                    .method(method, HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method).isEqualTo(405);
        }
    }

    private ObjectNode example(String name) throws Exception {
        return (ObjectNode) json.readTree(Files.readString(CONTRACT_EXAMPLES.resolve(name + ".json")));
    }

    private List<JsonNode> records(String subject) throws Exception {
        var response = get("/api/audit/records?subject=" + subject, INSPECTOR);
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> found = new java.util.ArrayList<>();
        json.readTree(response.body()).get("content").forEach(found::add);
        return found;
    }

    private double deadLetters() {
        var counter = meters.find("supervision.events.dead.letters").counter();
        return counter == null ? 0 : counter.count();
    }

    private List<String> deadLetterValues() {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new java.util.ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("supervision.task-events.audit-service.dlt"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
            }
        }
        return values;
    }

    private void send(String topic, String key, byte[] value) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (!token.isEmpty()) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }
}
