package gov.yuancheng.supervision.audit;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import gov.yuancheng.supervision.audit.checkpoint.SigningKey;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import gov.yuancheng.supervision.verifier.Checkpoint;
import gov.yuancheng.supervision.verifier.Hashes;
import gov.yuancheng.supervision.verifier.NoteKey;
import gov.yuancheng.supervision.verifier.Proofs;
import gov.yuancheng.supervision.verifier.SignedNote;
import gov.yuancheng.supervision.verifier.Verifier;
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
        // The test store stops in its own shutdown hook while this context closes; the checkpoint poll then gives
        // up on it in 2 s instead of holding the JVM's exit for the driver's default 30 s.
        registry.add("spring.mongodb.uri", () -> MongoWireTestServer.uri("audit_it") + "?serverSelectionTimeoutMS=2000");
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
    @Autowired
    SigningKey signingKey;

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

    @Test
    void anInclusionProofVerifiesAgainstASignedCheckpointWithThePublishedKey() throws Exception {
        ObjectNode event = newEvent("task.progress-reported.v1", UUID.randomUUID().toString());
        send("supervision.task-events", event.get("subject").asString(), json.writeValueAsBytes(event));
        await().atMost(Duration.ofSeconds(20)).until(() -> records(event.get("subject").asString()).size() == 1);
        long seq = records(event.get("subject").asString()).get(0).get("seq").asLong();
        NoteKey key = NoteKey.parse(get("/api/audit/public-key", INSPECTOR).body());

        JsonNode proof = json.readTree(get("/api/audit/records/" + seq + "/proof", INSPECTOR).body());

        Checkpoint checkpoint = Checkpoint.verified(proof.get("checkpoint").asString(), key);
        byte[] leaf = proof.get("leaf").asString().getBytes(StandardCharsets.UTF_8);
        assertThat(Proofs.verifyInclusion(seq - 1, checkpoint.size(), Hashes.leaf(leaf), hashes(proof.get("proof")),
                checkpoint.root())).isTrue();
        assertThat(Proofs.verifyInclusion(seq, checkpoint.size(), Hashes.leaf(leaf), hashes(proof.get("proof")),
                checkpoint.root())).as("the same proof for the next record").isFalse();
        assertThat(proof.get("leaf").asString()).contains(event.get("id").asString());
    }

    @Test
    void twoCheckpointsAreProvedConsistentAndEachIsSignedByTheLogsKey() throws Exception {
        NoteKey key = NoteKey.parse(get("/api/audit/public-key", tokens.token("sys-sun", "dept-zsj", "admin")).body());
        Checkpoint first = Checkpoint.verified(get("/api/audit/checkpoints/latest", INSPECTOR).body(), key);
        ObjectNode event = newEvent("task.urged.v1", UUID.randomUUID().toString());
        send("supervision.task-events", event.get("subject").asString(), json.writeValueAsBytes(event));
        await().atMost(Duration.ofSeconds(20)).until(() -> Checkpoint.verified(
                get("/api/audit/checkpoints/latest", INSPECTOR).body(), key).size() > first.size());
        Checkpoint second = Checkpoint.verified(get("/api/audit/checkpoints/latest", INSPECTOR).body(), key);

        JsonNode proof = json.readTree(get("/api/audit/consistency?first=" + first.size() + "&second=" + second.size(),
                INSPECTOR).body());

        assertThat(Proofs.verifyConsistency(first.size(), second.size(), hashes(proof.get("proof")), first.root(),
                second.root())).isTrue();
        assertThat(Proofs.verifyConsistency(first.size(), second.size(), hashes(proof.get("proof")), second.root(),
                first.root())).isFalse();
    }

    @Test
    void theTimelineOfATaskListsItsEventsInTheOrderTheyWereRecorded() throws Exception {
        String taskId = UUID.randomUUID().toString();
        List<String> types = List.of("task.registered.v1", "task.assigned.v1", "task.acknowledged.v1",
                "task.progress-reported.v1");
        for (String type : types) {
            send("supervision.task-events", taskId, json.writeValueAsBytes(newEvent(type, taskId)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> timeline(taskId).size() == 4);

        List<JsonNode> timeline = timeline(taskId);

        assertThat(timeline).extracting(r -> r.get("type").asString()).containsExactly(
                "gov.supervision.task.registered.v1", "gov.supervision.task.assigned.v1",
                "gov.supervision.task.acknowledged.v1", "gov.supervision.task.progress-reported.v1");
        assertThat(timeline).extracting(r -> r.get("seq").asLong()).isSorted();
        assertThat(timeline.get(3).get("data").get("before").get("percent").asInt()).isZero();
        assertThat(timeline.get(3).get("data").get("after").get("percent").asInt()).isEqualTo(40);
        assertThat(timeline.get(1).get("assignment").asString()).isEqualTo("a1b2c3d4-0000-4000-8000-000000000001");
    }

    @Test
    void inspectorsSearchByUnitActorActionAndPeriodWithPaging() throws Exception {
        String taskId = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            ObjectNode event = newEvent("task.progress-reported.v1", taskId);
            event.put("time", "2031-01-0" + (i + 1) + "T08:00:00Z");
            send("supervision.task-events", taskId, json.writeValueAsBytes(event));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> records(taskId).size() == 3);
        String actorId = "f7bc4af3-2222-4c43-9a8e-3f2b1d0c9e78";
        String query = "/api/audit/records?unit=dept-fgj&actorId=" + actorId
                + "&type=gov.supervision.task.progress-reported.v1&from=2031-01-02T00:00:00Z&to=2031-01-04T00:00:00Z";

        JsonNode firstPage = json.readTree(get(query + "&size=1&page=0", INSPECTOR).body());
        JsonNode secondPage = json.readTree(get(query + "&size=1&page=1", INSPECTOR).body());

        assertThat(firstPage.get("page").get("totalElements").asLong()).isEqualTo(2);
        assertThat(firstPage.get("content").get(0).get("time").asString()).isEqualTo("2031-01-02T08:00:00Z");
        assertThat(secondPage.get("content").get(0).get("time").asString()).isEqualTo("2031-01-03T08:00:00Z");
        assertThat(get("/api/audit/records?from=2031-01-04T00:00:00Z&to=2031-01-02T00:00:00Z", INSPECTOR).statusCode())
                .isEqualTo(400);
        assertThat(get("/api/audit/records?from=yesterday", INSPECTOR).statusCode()).isEqualTo(400);
    }

    @Test
    void aTasksEvidenceBundleVerifiesOfflineAndSoDoesTheWholeLog() throws Exception {
        String taskId = UUID.randomUUID().toString();
        send("supervision.task-events", taskId, json.writeValueAsBytes(newEvent("task.registered.v1", taskId)));
        send("supervision.task-events", taskId, json.writeValueAsBytes(newEvent("task.assigned.v1", taskId)));
        await().atMost(Duration.ofSeconds(20)).until(() -> records(taskId).size() == 2);
        NoteKey key = NoteKey.parse(get("/api/audit/public-key", INSPECTOR).body());
        String saved = json.readTree(get("/api/audit/records/1/proof", INSPECTOR).body()).get("checkpoint").asString();

        HttpResponse<byte[]> task = getBytes("/api/audit/export?task=" + taskId);
        HttpResponse<byte[]> unit = getBytes("/api/audit/export?unit=dept-fgj&from=2026-01-01T00:00:00Z"
                + "&to=2027-01-01T00:00:00Z");
        HttpResponse<byte[]> log = getBytes("/api/audit/export?all=true");

        assertThat(task.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment");
        Verifier.Report taskReport = new Verifier(key, null).verify(new ByteArrayInputStream(task.body()));
        assertThat(taskReport.problems()).isEmpty();
        assertThat(taskReport.records()).isEqualTo(2);
        Verifier.Report unitReport = new Verifier(key, null).verify(new ByteArrayInputStream(unit.body()));
        assertThat(unitReport.problems()).isEmpty();
        assertThat(unitReport.records()).isPositive();
        Verifier.Report logReport = new Verifier(key, null).verify(new ByteArrayInputStream(log.body()));
        assertThat(logReport.problems()).isEmpty();
        assertThat(logReport.records()).isEqualTo(logReport.checkpointSize());

        long savedSize = Checkpoint.verified(saved, key).size();
        byte[] since = getBytes("/api/audit/export?task=" + taskId + "&since=" + savedSize).body();
        assertThat(json.readTree(since).get("since").get("size").asLong()).isEqualTo(savedSize);
        Verifier.Report sinceReport = new Verifier(key, saved).verify(new ByteArrayInputStream(since));
        assertThat(sinceReport.problems()).isEmpty();
        assertThat(sinceReport.notes()).contains("Consistent with your saved checkpoint of size " + savedSize + ".");
        String forked = SignedNote.sign(new Checkpoint(key.name(), savedSize, Hashes.leaf(new byte[1])).text(), key,
                signingKey::sign);
        Verifier.Report otherLog = new Verifier(key, forked).verify(new ByteArrayInputStream(since));
        assertThat(otherLog.problems()).singleElement().asString().contains("rewritten");
    }

    @Test
    void everyReadOfTheTrailIsRecordedInTheTrailWithTheReader() throws Exception {
        String marker = UUID.randomUUID().toString();
        get("/api/audit/records?subject=" + marker, INSPECTOR);

        String reads = "/api/audit/records?type=gov.supervision.audit.read.v1&unit=dept-jw&size=500";
        await().atMost(Duration.ofSeconds(5)).until(() -> json.readTree(get(reads, INSPECTOR).body()).get("content")
                .valueStream().anyMatch(r -> String.valueOf(r.get("data").get("query")).contains(marker)));
        JsonNode read = json.readTree(get(reads, INSPECTOR).body()).get("content").valueStream()
                .filter(r -> String.valueOf(r.get("data").get("query")).contains(marker)).findFirst().orElseThrow();
        assertThat(read.get("actor").get("name").asString()).isEqualTo("jw-zhao");
        assertThat(read.get("data").get("path").asString()).isEqualTo("/api/audit/records");
    }

    @Test
    void adminsReadTheCheckpointAndKeyButNotTheRecords() throws Exception {
        String admin = tokens.token("sys-sun", "dept-zsj", "admin");
        assertThat(get("/api/audit/checkpoints/latest", admin).statusCode()).isEqualTo(200);
        assertThat(get("/api/audit/public-key", admin).statusCode()).isEqualTo(200);
        assertThat(get("/api/audit/records", admin).statusCode()).isEqualTo(403);
        assertThat(get("/api/audit/export?all=true", admin).statusCode()).isEqualTo(403);
        assertThat(get("/api/audit/checkpoints/latest", SUPERVISOR).statusCode()).isEqualTo(403);
    }

    @Test
    void badProofAndExportRequestsAreProblems() throws Exception {
        for (String path : List.of("/api/audit/export", "/api/audit/export?task=a&all=true",
                "/api/audit/export?unit=dept-fgj", "/api/audit/consistency?first=5&second=2",
                "/api/audit/records/0/proof", "/api/audit/records/x/proof", "/api/audit/export?all=true&since=0",
                "/api/audit/export?all=true&since=999999999")) {
            var response = get(path, INSPECTOR);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
        }
        var noCheckpoint = get("/api/audit/records/1/proof?size=999999999", INSPECTOR);
        assertThat(noCheckpoint.statusCode()).isEqualTo(404);
        assertThat(noCheckpoint.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private ObjectNode newEvent(String example, String taskId) throws Exception {
        ObjectNode event = example(example);
        event.put("id", UUID.randomUUID().toString());
        event.put("subject", taskId);
        return event;
    }

    private List<JsonNode> timeline(String taskId) throws Exception {
        var response = get("/api/audit/tasks/" + taskId + "/timeline", INSPECTOR);
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> found = new java.util.ArrayList<>();
        json.readTree(response.body()).forEach(found::add);
        return found;
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> hashes = new java.util.ArrayList<>();
        array.forEach(h -> hashes.add(Base64.getDecoder().decode(h.asString())));
        return hashes;
    }

    private HttpResponse<byte[]> getBytes(String path) throws Exception {
        var response = http.send(request(path, INSPECTOR).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response;
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
