package gov.yuancheng.supervision.task;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import gov.yuancheng.supervision.task.app.LightSweep;
import gov.yuancheng.supervision.task.app.TaskWorkflow;
import gov.yuancheng.supervision.task.store.TaskStore;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service over the wire: a real KRaft broker, a Mongo-wire server and signed tokens checked against a JWKS. The
 * outbox relay sweeps only once, at start: the events of the changes made here reach Kafka because the relay is
 * told of each write.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "supervision.outbox.sweep-interval=1h", "supervision.outbox.idle-sweep-interval=1h" })
@EmbeddedKafka(partitions = 3, topics = "supervision.task-events")
@ActiveProfiles("test")
class TaskServiceIntegrationTest {

    static final TestJwtIssuer tokens = TestJwtIssuer.get();
    static final String SUPERVISOR = tokens.token("dcs-zhang", "office-dcs", "supervisor");
    static final String FGJ = tokens.token("fgj-li", "dept-fgj", "unit");
    static final String GXJ = tokens.token("gxj-chen", "dept-gxj", "unit");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MongoWireTestServer.uri("tasks_slice"));
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
    @Autowired
    TaskStore store;
    @Autowired
    TaskWorkflow workflow;
    @Autowired
    java.time.Clock clock;
    @Autowired
    org.springframework.security.oauth2.jwt.JwtDecoder jwtDecoder;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void timeIsKeptToTheMillisecondAsTheStoreKeepsIt() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(clock.instant().getNano() % 1_000_000).isZero();
            Thread.sleep(0, 300_000);
        }
    }

    @Test
    void supervisorRegistersATaskWhoseEventsReachKafkaAsStructuredCloudEvents() throws Exception {
        var created = post("/api/tasks", SUPERVISOR, """
                {"title":"推进高新区扩园","category":"urban-economy","leadUnit":"dept-fgj","coUnits":["town-yuannan"],"deadline":"2099-06-30"}
                """);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("ETag")).isPresent();
        String taskId = json.readTree(created.body()).get("id").asString();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/tasks/" + taskId);

        List<ConsumerRecord<String, byte[]>> records = consumeEventsOf(taskId, 3);

        assertThat(records).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(taskId);
            assertThat(new String(r.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                    .startsWith("application/cloudevents+json");
            assertThat(new String(r.headers().lastHeader("traceparent").value(), StandardCharsets.US_ASCII))
                    .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        });
        List<JsonNode> events = records.stream().map(r -> json.readTree(r.value())).toList();
        assertThat(events).extracting(e -> e.get("type").asString()).containsExactly(
                "gov.supervision.task.registered.v1", "gov.supervision.task.assigned.v1",
                "gov.supervision.task.assigned.v1");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("specversion").asString()).isEqualTo("1.0");
            assertThat(e.get("subject").asString()).isEqualTo(taskId);
            assertThat(e.get("actororg").asString()).isEqualTo("office-dcs");
            assertThat(e.get("data").get("taskId").asString()).isEqualTo(taskId);
        });
        assertThat(events).extracting(e -> e.get("id").asString()).doesNotHaveDuplicates();
        assertThat(events.get(1).get("data").get("unit").asString()).isEqualTo("dept-fgj");

        await().atMost(Duration.ofSeconds(10)).until(() -> outboxSize(taskId) == 0);
    }

    @Test
    void storedLightsAreRecomputedOnceADayWhicheverReplicaSweeps() throws Exception {
        var created = post("/api/tasks", SUPERVISOR, """
                {"title":"每日红黄绿灯","category":"livelihood","leadUnit":"dept-gxj","deadline":"2099-06-30"}
                """);
        String taskId = json.readTree(created.body()).get("id").asString();
        Query task = Query.query(Criteria.where("_id").is(taskId));
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai")); // the service's time zone

        // a light gone stale; today's sweep is recorded as done: a replica starting now leaves it
        mongo.updateFirst(task, new Update().set("light", "RED"), "tasks");
        store.lightsSwept(today);
        new LightSweep(store, workflow).onNewDay();
        assertThat(mongo.findOne(task, org.bson.Document.class, "tasks").getString("light")).isEqualTo("RED");

        // the last sweep was yesterday: the first replica to look sweeps, and records today
        store.lightsSwept(today.minusDays(1));
        new LightSweep(store, workflow).onNewDay();
        assertThat(mongo.findOne(task, org.bson.Document.class, "tasks").getString("light")).isEqualTo("GREEN");
        assertThat(store.lightsSweptOn()).isEqualTo(today);
    }

    @Test
    void theShippedWorkingDayCalendarsArePublishedForTheOtherServices() {
        List<ConsumerRecord<String, byte[]>> records = consumeEventsOf("calendar-2026", 1);

        JsonNode event = json.readTree(records.get(0).value());
        assertThat(event.get("type").asString()).isEqualTo("gov.supervision.calendar.published.v1");
        assertThat(event.get("data").get("workdays").toString()).contains("2026-02-14");
    }

    @Test
    void unitUserCannotSeeAnotherUnitsTask() throws Exception {
        String taskId = json.readTree(post("/api/tasks", SUPERVISOR, """
                {"title":"建设农村公路","category":"rural-revitalization","leadUnit":"dept-fgj","deadline":"2099-01-31"}
                """).body()).get("id").asString();

        assertThat(get("/api/tasks/" + taskId, FGJ).statusCode()).isEqualTo(200);
        var foreign = get("/api/tasks/" + taskId, GXJ);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(foreign.body()).doesNotContain("建设农村公路");

        assertThat(ids(get("/api/tasks?size=200", FGJ).body())).contains(taskId);
        assertThat(ids(get("/api/tasks?size=200", GXJ).body())).doesNotContain(taskId);
    }

    @Test
    void unitUserCannotRegisterATask() throws Exception {
        long before = mongo.count(new Query(), "tasks");
        var response = post("/api/tasks", FGJ, """
                {"title":"自己立项","category":"livelihood","leadUnit":"dept-fgj","deadline":"2099-01-31"}
                """);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(mongo.count(new Query(), "tasks")).isEqualTo(before);
    }

    @Test
    void invalidInputIsAProblemNamingTheFieldsAndChangesNothing() throws Exception {
        long before = mongo.count(new Query(), "tasks");
        var response = post("/api/tasks", SUPERVISOR, """
                {"title":"","leadUnit":"财政局; drop","deadline":"2001-01-01"}
                """);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("errors").findValuesAsString("field")).contains("title", "leadUnit", "category");
        assertThat(response.body()).doesNotContain("Exception", "at gov.");
        assertThat(mongo.count(new Query(), "tasks")).isEqualTo(before);
    }

    @Test
    void aDeadlineInThePastIsRefused() throws Exception {
        var response = post("/api/tasks", SUPERVISOR, """
                {"title":"过期","category":"livelihood","leadUnit":"dept-fgj","deadline":"2001-01-01"}
                """);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("detail").asString()).contains("past");
    }

    @Test
    void malformedJsonIsAProblemToo() throws Exception {
        var response = post("/api/tasks", SUPERVISOR, "{\"title\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void forgedExpiredWrongAudienceOrMissingTokensAreRejectedWith401() throws Exception {
        // The decoder that remembers verified tokens is the one in use, and a valid token used twice still works.
        assertThat(jwtDecoder.getClass().getSimpleName()).isEqualTo("Remembering");
        assertThat(get("/api/tasks", SUPERVISOR).statusCode()).isEqualTo(200);
        assertThat(get("/api/tasks", SUPERVISOR).statusCode()).isEqualTo(200);
        for (String token : List.of(tokens.forgedToken("dcs-zhang", "office-dcs", "supervisor"),
                tokens.expiredToken("dcs-zhang", "office-dcs", "supervisor"),
                tokens.wrongAudienceToken("dcs-zhang", "office-dcs", "supervisor"), "not-a-jwt", "")) {
            var response = get("/api/tasks", token);
            assertThat(response.statusCode()).as(token).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    h -> assertThat(h).startsWith("Bearer"));
        }
    }

    @Test
    void healthAndPrometheusAreOpenForProbes() throws Exception {
        var health = get("/actuator/health", "");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        var metrics = get("/actuator/prometheus", "");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        var openApi = get("/v3/api-docs", "");
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(openApi.body()).contains("/api/tasks");
    }

    private long outboxSize(String taskId) {
        var doc = mongo.findOne(Query.query(Criteria.where("_id").is(taskId)), org.bson.Document.class, "tasks");
        return doc == null ? -1 : doc.getList("outbox", Object.class, List.of()).size();
    }

    private List<String> ids(String page) {
        List<String> ids = new ArrayList<>();
        json.readTree(page).get("content").forEach(t -> ids.add(t.get("id").asString()));
        return ids;
    }

    private List<ConsumerRecord<String, byte[]>> consumeEventsOf(String taskId, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + taskId, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("supervision.task-events"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (taskId.equals(r.key())) {
                        found.add(r);
                    }
                });
            }
        }
        assertThat(found).hasSize(expected);
        return found;
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        return http.send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (!token.isEmpty()) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }
}
