package gov.yuancheng.supervision.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Consumes the events task-service documents in its contract examples, over a real KRaft broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "supervision.notify.scheduling.enabled=false")
@EmbeddedKafka(partitions = 3, topics = {"supervision.task-events", "supervision.task-events.notify-service.dlt"})
@ActiveProfiles("test")
class NotifyServiceIntegrationTest {

    static final Path CONTRACT_EXAMPLES = Path.of("../task-service/src/main/resources/contracts/examples");
    static final TestJwtIssuer tokens = TestJwtIssuer.get();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MongoWireTestServer.uri("notify_it"));
        registry.add("spring.kafka.bootstrap-servers", () -> System.getProperty("spring.embedded.kafka.brokers"));
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", tokens::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwksUri);
    }

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    MeterRegistry meters;
    @Autowired
    JsonMapper json;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anAssignmentPutsOneNoticeInTheAssignedUnitsInboxOnly() throws Exception {
        String unit = "town-" + UUID.randomUUID().toString().substring(0, 8);
        String member = tokens.token("clerk-a", unit, "unit");
        String colleague = tokens.token("clerk-b", unit, "unit");
        String otherUnit = tokens.token("gxj-chen", "dept-gxj", "unit");
        ObjectNode event = assignedTo(unit);

        send(event);
        send(event);

        await().atMost(Duration.ofSeconds(20)).until(() -> notices(member).size() == 1);
        Thread.sleep(500);
        List<JsonNode> notices = notices(member);
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).get("title").asString()).isEqualTo("新交办事项：" + event.get("data").get("title").asString());
        assertThat(notices.get(0).get("taskId").asString()).isEqualTo(event.get("subject").asString());
        assertThat(notices(colleague)).hasSize(1);
        assertThat(notices(otherUnit)).extracting(n -> n.get("id").asString())
                .doesNotContain(event.get("id").asString());
    }

    @Test
    void readingANoticeClearsItForThatUserAloneAndOnlyTheirUnitMayMarkIt() throws Exception {
        String unit = "dept-" + UUID.randomUUID().toString().substring(0, 8);
        String member = tokens.token("clerk-a", unit, "unit");
        String colleague = tokens.token("clerk-b", unit, "unit");
        ObjectNode event = assignedTo(unit);
        send(event);
        await().atMost(Duration.ofSeconds(20)).until(() -> unread(member) == 1);
        String id = event.get("id").asString();

        assertThat(post("/api/notifications/" + id + "/read", tokens.token("gxj-chen", "dept-gxj", "unit"))
                .statusCode()).isEqualTo(404);
        assertThat(post("/api/notifications/" + id + "/read", member).statusCode()).isEqualTo(204);

        assertThat(unread(member)).isZero();
        assertThat(unread(colleague)).isEqualTo(1);
    }

    @Test
    void aPoisonMessageIsDeadLetteredAndCountedWhileLaterEventsStillArrive() throws Exception {
        String unit = "town-" + UUID.randomUUID().toString().substring(0, 8);
        double before = meters.find("supervision.events.dead.letters").counter() == null ? 0
                : meters.find("supervision.events.dead.letters").counter().count();
        ObjectNode event = assignedTo(unit);

        send(event.get("subject").asString(), "garbage".getBytes(StandardCharsets.UTF_8));
        send(event);

        await().atMost(Duration.ofSeconds(20)).until(() -> notices(tokens.token("c", unit, "unit")).size() == 1);
        assertThat(meters.find("supervision.events.dead.letters").counter().count()).isEqualTo(before + 1);
    }

    @Test
    void inboxNeedsAValidToken() throws Exception {
        assertThat(get("/api/notifications", "").statusCode()).isEqualTo(401);
        assertThat(get("/api/notifications", tokens.expiredToken("c", "dept-fgj", "unit")).statusCode()).isEqualTo(401);
        assertThat(get("/api/notifications", tokens.forgedToken("c", "dept-fgj", "unit")).statusCode()).isEqualTo(401);
    }

    private ObjectNode assignedTo(String unit) throws Exception {
        ObjectNode event = (ObjectNode) json.readTree(Files.readString(CONTRACT_EXAMPLES.resolve("task.assigned.v1.json")));
        event.put("id", UUID.randomUUID().toString());
        event.put("subject", UUID.randomUUID().toString());
        ((ObjectNode) event.get("data")).put("unit", unit).put("taskId", event.get("subject").asString());
        return event;
    }

    private List<JsonNode> notices(String token) throws Exception {
        var response = get("/api/notifications?size=200", token);
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        json.readTree(response.body()).get("content").forEach(found::add);
        return found;
    }

    private long unread(String token) throws Exception {
        return json.readTree(get("/api/notifications/unread-count", token).body()).get("unread").asLong();
    }

    private void send(ObjectNode event) throws Exception {
        send(event.get("subject").asString(), json.writeValueAsBytes(event));
    }

    private void send(String key, byte[] value) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("supervision.task-events", key, value)).get();
        }
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token) throws Exception {
        return http.send(request(path, token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (!token.isEmpty()) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }
}
