package gov.yuancheng.supervision.gateway;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.function.Predicate;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.adapter.JdkFlowAdapter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the gateway does to every request before a service sees it: a request id, secure headers, body size limits,
 * a per-user rate limit shared by replicas, and the security events it publishes for the audit trail, on a real
 * Kafka broker and a real Mongo-wire store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "supervision.rate-limit.requests=5", "supervision.rate-limit.window=1h",
        "supervision.limits.body=1KB", "supervision.limits.upload=8KB",
        "supervision.security-events.poll-interval=100ms" })
@EmbeddedKafka(partitions = 1, topics = "supervision.security-events")
class EdgeProtectionTest {

    static final TestJwtIssuer tokens = TestJwtIssuer.get();
    static final StubService taskService = StubService.start();
    static final String MONGO = MongoWireTestServer.uri("gateway_edge");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MONGO);
        registry.add("spring.kafka.bootstrap-servers", () -> System.getProperty("spring.embedded.kafka.brokers"));
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", tokens::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwksUri);
        registry.add("TASK_SERVICE_URL", taskService::url);
    }

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    ReactiveMongoTemplate mongo;

    @BeforeEach
    void forgetEarlierRequests() {
        taskService.forget();
    }

    @Test
    void everyRequestGetsAnIdThatTheServiceAndTheCallerBothSee() {
        String token = tokens.token("request-id", "dept-fgj", "unit");
        var response = browser().get("/api/tasks", "Authorization", "Bearer " + token);

        String id = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(taskService.lastRequest().header("X-Request-Id")).isEqualTo(id);

        var chosen = browser().get("/api/tasks", "Authorization", "Bearer " + token, "X-Request-Id", "cli-call-0001");
        assertThat(chosen.headers().firstValue("X-Request-Id")).hasValue("cli-call-0001");

        var injected = browser().get("/api/tasks", "Authorization", "Bearer " + token, "X-Request-Id", "x\"><script>");
        assertThat(injected.headers().firstValue("X-Request-Id").orElseThrow()).isNotEqualTo("x\"><script>")
                .matches("[0-9a-f-]{36}");
    }

    @Test
    void apiCallsWithBearerTokensLeaveNoSessionsBehind() {
        String token = tokens.token("no-session", "dept-fgj", "unit");
        long before = mongo.getCollection("gateway_sessions").flatMap(c -> Mono.from(c.countDocuments())).block();
        for (int i = 0; i < 3; i++) {
            var response = browser().get("/api/tasks", "Authorization", "Bearer " + token);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith("SESSION="));
        }
        long after = mongo.getCollection("gateway_sessions").flatMap(c -> Mono.from(c.countDocuments())).block();
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aProblemNamesTheRequestId() {
        var response = browser().get("/api/tasks");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json.readTree(response.body()).get("requestId").asString())
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void thePageMayRunOnlyItsOwnScriptsAndCannotBeFramed() {
        var page = browser().get("/", "Accept", "text/html");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'", "script-src 'self';", "frame-ancestors 'none'", "object-src 'none'")
                .doesNotContain("unsafe-eval");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("strict-origin-when-cross-origin");
        assertThat(page.headers().firstValue("Strict-Transport-Security")).as("HSTS only over TLS").isEmpty();
    }

    @Test
    void aBodyOverTheLimitIs413AndNeverReachesTheService() {
        String token = tokens.token("big-bodies", "dept-fgj", "unit");
        String big = "{\"title\":\"" + "很".repeat(400) + "\"}";

        var refused = browser().post("/api/tasks", big, "Authorization", "Bearer " + token);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(refused.body()).get("detail").asString()).contains("1 KB");
        assertThat(taskService.lastRequest()).isNull();

        var small = browser().post("/api/tasks", "{\"title\":\"小\"}", "Authorization", "Bearer " + token);
        assertThat(small.statusCode()).isEqualTo(200);

        byte[] upload = new byte[6 * 1024];
        var evidence = browser().post("/api/tasks/t-1/attachments", HttpRequest.BodyPublishers.ofByteArray(upload),
                "multipart/form-data; boundary=x", "Authorization", "Bearer " + token);
        assertThat(evidence.statusCode()).as("an upload may be larger than a JSON body").isEqualTo(200);
    }

    @Test
    void aChunkedBodyIsCutOffAtTheLimit() {
        String token = tokens.token("chunked-bodies", "dept-fgj", "unit");
        Flux<ByteBuffer> chunks = Flux.range(0, 8).map(i -> ByteBuffer.wrap(new byte[512]));
        Flow.Publisher<ByteBuffer> unknownLength = JdkFlowAdapter.publisherToFlowPublisher(chunks);

        var refused = browser().post("/api/tasks", HttpRequest.BodyPublishers.fromPublisher(unknownLength),
                "application/json", "Authorization", "Bearer " + token);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
    }

    @Test
    void theSixthCallInAWindowIs429WithRetryAfterEvenWhenItReachesAnotherReplica() {
        String token = tokens.token("busy-clerk", "town-yuannan", "unit");
        try (var second = anotherReplica()) {
            int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
            for (int i = 0; i < 5; i++) {
                var replica = i % 2 == 0 ? browser() : new Browser(secondPort);
                assertThat(replica.get("/api/tasks", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
            }

            for (var replica : List.of(browser(), new Browser(secondPort))) {
                var refused = replica.get("/api/tasks", "Authorization", "Bearer " + token);
                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);
            }
        }
        var otherUser = browser().get("/api/tasks", "Authorization", "Bearer " + tokens.token("calm-clerk", "town-yuannan", "unit"));
        assertThat(otherUser.statusCode()).as("the limit is per user").isEqualTo(200);

        var limited = eventsOf(e -> e.get("type").asString().endsWith("rate-limited.v1")
                && "busy-clerk".equals(text(e, "subject")), 1);
        assertThat(limited.get(0).get("data").get("limit").asInt()).isEqualTo(5);
        assertThat(limited.get(0).get("actororg").asString()).isEqualTo("town-yuannan");
    }

    @Test
    void refusedTokensAndDeniedRequestsAreSecurityEventsInTheContract() throws Exception {
        var forged = browser().get("/api/tasks", "Authorization", "Bearer " + tokens.forgedToken("mallory", "dept-fgj", "unit"),
                "User-Agent", "forger/1.0");
        assertThat(forged.statusCode()).isEqualTo(401);
        String forbiddenToken = tokens.token("curious-clerk", "dept-gxj", "unit");
        var denied = browser().get("/api/tasks/forbidden", "Authorization", "Bearer " + forbiddenToken);
        assertThat(denied.statusCode()).isEqualTo(403);

        var failed = eventsOf(e -> e.get("type").asString().endsWith("login-failed.v1")
                && "forger/1.0".equals(text(e, "useragent")), 1).get(0);
        assertThat(failed.get("data").get("reason").asString()).contains("bearer token");
        assertThat(failed.get("clientaddress").asString()).isEqualTo("127.0.0.1");
        assertThat(failed.has("actorid")).as("a forged token names nobody").isFalse();

        var refused = eventsOf(e -> e.get("type").asString().endsWith("access-denied.v1")
                && "curious-clerk".equals(text(e, "subject")), 1).get(0);
        assertThat(refused.get("data").get("reason").asString()).isEqualTo("service");
        assertThat(refused.get("data").get("service").asString()).isEqualTo("task-service");
        assertThat(refused.get("data").get("path").asString()).isEqualTo("/api/tasks/forbidden");
        assertThat(refused.get("actorroles").asString()).isEqualTo("unit");

        Schema contract = contract();
        for (JsonNode event : List.of(failed, refused)) {
            assertThat(contract.validate(event)).as(event.toString()).isEmpty();
        }
        var broken = (tools.jackson.databind.node.ObjectNode) refused.deepCopy();
        broken.put("type", "gov.supervision.security.something-else.v1");
        assertThat(contract.validate(broken)).as("the contract can fail").isNotEmpty();
    }

    private Browser browser() {
        return new Browser(port);
    }

    private org.springframework.context.ConfigurableApplicationContext anotherReplica() {
        return new SpringApplicationBuilder(GatewayApplication.class).run("--server.port=0",
                "--spring.mongodb.uri=" + MONGO,
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + tokens.issuer(),
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + tokens.jwksUri(),
                "--TASK_SERVICE_URL=" + taskService.url(),
                "--supervision.rate-limit.requests=5", "--supervision.rate-limit.window=1h",
                "--management.server.port=-1");
    }

    private List<JsonNode> eventsOf(Predicate<JsonNode> wanted, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "edge-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<JsonNode> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("supervision.security-events"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    JsonNode event = json.readTree(new String(record.value(), StandardCharsets.UTF_8));
                    if (wanted.test(event)) {
                        found.add(event);
                    }
                });
            }
        }
        assertThat(found).hasSize(expected);
        return found;
    }

    private static String text(JsonNode event, String field) {
        return event.has(field) ? event.get(field).asString() : null;
    }

    private static Schema contract() throws Exception {
        try (InputStream in = EdgeProtectionTest.class.getResourceAsStream("/contracts/security-events.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }
}
