package gov.yuancheng.supervision.task;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import gov.yuancheng.supervision.testing.KeySetOutage;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service that has not yet fetched Keycloak's signing keys when Keycloak goes down answers a valid token with 503
 * problem+json and Retry-After (not a 500), still refuses a forged one with 401, and serves it once the keys can be
 * fetched again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "supervision.outbox.enabled=false")
@EmbeddedKafka(partitions = 1, topics = "supervision.task-events")
@ActiveProfiles("test")
class KeycloakDownTest {

    static final TestJwtIssuer tokens = TestJwtIssuer.get();
    static final KeySetOutage keys = new KeySetOutage(tokens);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MongoWireTestServer.uri("tasks_keycloak_down"));
        registry.add("spring.kafka.bootstrap-servers", () -> System.getProperty("spring.embedded.kafka.brokers"));
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", tokens::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", keys::jwksUri);
    }

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterAll
    static void stopKeys() {
        keys.close();
    }

    @Test
    void aTokenThatCannotBeCheckedIs503UntilTheKeysCanBeFetched() throws Exception {
        String office = tokens.token("dcs-zhang", "office-dcs", "supervisor");

        HttpResponse<String> down = get("/api/tasks", office);
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        assertThat(down.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(down.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(json.readTree(down.body()).get("detail").asString()).contains("Keycloak");
        assertThat(get("/api/tasks", "").statusCode()).isEqualTo(401);

        keys.up();

        assertThat(get("/api/tasks", office).statusCode()).isEqualTo(200);
        HttpResponse<String> forged = get("/api/tasks", tokens.forgedToken("dcs-zhang", "office-dcs", "supervisor"));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
