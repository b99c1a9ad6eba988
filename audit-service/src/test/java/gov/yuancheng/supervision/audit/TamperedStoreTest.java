package gov.yuancheng.supervision.audit;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import gov.yuancheng.supervision.audit.record.AuditLog;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import gov.yuancheng.supervision.verifier.NoteKey;
import gov.yuancheng.supervision.verifier.Verifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Someone with write access to the database changes one byte of a stored record, as the "done when" says:
 * the next evidence bundle, for the task or the whole log, names that record.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(partitions = 1, topics = {"supervision.task-events", "supervision.notification-events",
        "supervision.security-events"})
@ActiveProfiles("test")
class TamperedStoreTest {

    static final TestJwtIssuer tokens = TestJwtIssuer.get();
    static final String INSPECTOR = tokens.token("jw-zhao", "dept-jw", "inspector");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // The test store stops in its own shutdown hook while this context closes; the checkpoint poll then gives
        // up on it in 2 s instead of holding the JVM's exit for the driver's default 30 s.
        registry.add("spring.mongodb.uri", () -> MongoWireTestServer.uri("audit_tamper") + "?serverSelectionTimeoutMS=2000");
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
    JsonMapper json;
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aByteChangedInTheStoreIsNamedByTheVerifier() throws Exception {
        String taskId = UUID.randomUUID().toString();
        for (String example : new String[] {"task.registered.v1", "task.assigned.v1", "task.progress-reported.v1"}) {
            ObjectNode event = (ObjectNode) json.readTree(Files.readString(
                    Path.of("../task-service/src/main/resources/contracts/examples/" + example + ".json")));
            event.put("id", UUID.randomUUID().toString());
            event.put("subject", taskId);
            send(taskId, json.writeValueAsBytes(event));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> mongo.getCollection("audit_log")
                .countDocuments(Filters.eq("subject", taskId)) == 3);
        NoteKey key = NoteKey.parse(get("/api/audit/public-key").body());
        assertThat(verify(key, "/api/audit/export?task=" + taskId).problems()).isEmpty();
        Document progress = mongo.getCollection("audit_log")
                .find(Filters.and(Filters.eq("subject", taskId), Filters.eq("type",
                        "gov.supervision.task.progress-reported.v1"))).first();
        long seq = progress.get("_id", Number.class).longValue();

        String leaf = progress.getString("leaf");
        mongo.getCollection("audit_log").updateOne(Filters.eq("_id", seq),
                Updates.set("leaf", leaf.replace("\"percent\":40", "\"percent\":90")));

        Verifier.Report task = verify(key, "/api/audit/export?task=" + taskId);
        Verifier.Report log = verify(key, "/api/audit/export?all=true");
        assertThat(task.ok()).isFalse();
        assertThat(task.firstBadRecord()).isEqualTo(seq);
        assertThat(log.ok()).isFalse();
        assertThat(log.firstBadRecord()).isEqualTo(seq);

        var meters = new SimpleMeterRegistry();
        new AuditLog(mongo, Clock.systemUTC(), meters).afterPropertiesSet();
        assertThat(meters.counter("supervision.audit.integrity.failures").count())
                .as("a replica starting on the changed store reports it").isEqualTo(1);
    }

    private Verifier.Report verify(NoteKey key, String path) throws Exception {
        HttpResponse<byte[]> bundle = http.send(request(path), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bundle.statusCode()).isEqualTo(200);
        return new Verifier(key, null).verify(new ByteArrayInputStream(bundle.body()));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + INSPECTOR).GET().build();
    }

    private void send(String key, byte[] value) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("supervision.task-events", key, value)).get();
        }
    }
}
