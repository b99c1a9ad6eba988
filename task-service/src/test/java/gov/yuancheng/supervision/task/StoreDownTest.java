package gov.yuancheng.supervision.task;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import de.bwaldvogel.mongo.MongoServer;
import gov.yuancheng.supervision.mongowire.MongoWireServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the store is down, task-service answers 503 problem+json with Retry-After (never 500, never a hang), accepts
 * nothing, and recovers by itself when the store is back, with everything accepted before still there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "supervision.outbox.enabled=false")
@EmbeddedKafka(partitions = 1, topics = "supervision.task-events")
@ActiveProfiles("test")
class StoreDownTest {

    static final TestJwtIssuer tokens = TestJwtIssuer.get();
    static final Path data = temporaryFolder();
    static MongoServer store = durableStore(0);
    static final int storePort = store.getLocalAddress().getPort();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // The timeouts every deployment's connection string carries (see the settings in deploy/README.md).
        registry.add("spring.mongodb.uri", () -> "mongodb://127.0.0.1:" + storePort
                + "/tasks_store_down?serverSelectionTimeoutMS=1500&connectTimeoutMS=1000&socketTimeoutMS=3000");
        registry.add("spring.kafka.bootstrap-servers", () -> System.getProperty("spring.embedded.kafka.brokers"));
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", tokens::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwksUri);
    }

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterAll
    static void stopStore() {
        store.shutdownNow();
    }

    @Test
    void aStoreOutageIs503ProblemsAndNothingHalfDoneAndTheServiceRecoversByItself() throws Exception {
        var before = register("停库之前立项");
        assertThat(before.statusCode()).isEqualTo(201);
        String taskId = json.readTree(before.body()).get("id").asString();

        store.shutdownNow();

        for (var response : java.util.List.of(get("/api/tasks"), get("/api/tasks/" + taskId), register("停库期间立项"))) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(json.readTree(response.body()).get("detail").asString()).contains("nothing was changed");
        }

        store = durableStore(storePort);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> get("/api/tasks/" + taskId).statusCode() == 200);
        JsonNode page = json.readTree(get("/api/tasks?size=50").body());
        assertThat(page.get("content")).extracting(task -> task.get("title").asString())
                .containsExactly("停库之前立项");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> register(String title) throws Exception {
        return http.send(request("/api/tasks").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"title":"%s","category":"livelihood","leadUnit":"dept-jyj","deadline":"2099-01-31"}
                        """.formatted(title))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + tokens.token("dcs-zhang", "office-dcs", "supervisor"));
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("store-down");
        }
        catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MongoServer durableStore(int port) {
        try {
            return MongoWireServer.durable(data, "127.0.0.1", port);
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
