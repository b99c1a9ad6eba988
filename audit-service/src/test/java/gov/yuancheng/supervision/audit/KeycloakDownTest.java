package gov.yuancheng.supervision.audit;

import gov.yuancheng.supervision.testing.KeySetOutage;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A service that has not yet fetched Keycloak's signing keys when Keycloak goes down answers a valid token with 503
 * problem+json and Retry-After (not a 500), still refuses a forged one with 401, and serves it once the keys can be
 * fetched again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(partitions = 1, topics = {"supervision.task-events", "supervision.notification-events",
        "supervision.security-events", "supervision.task-events.audit-service.dlt"})
@ActiveProfiles("test")
class KeycloakDownTest {

    static final TestJwtIssuer tokens = TestJwtIssuer.get();
    static final KeySetOutage keys = new KeySetOutage(tokens);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri",
                () -> MongoWireTestServer.uri("audit_keycloak_down") + "?serverSelectionTimeoutMS=2000");
        registry.add("spring.kafka.bootstrap-servers", () -> System.getProperty("spring.embedded.kafka.brokers"));
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", tokens::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", keys::jwksUri);
    }

    @LocalServerPort
    int port;

    @AfterAll
    static void stopKeys() {
        keys.close();
    }

    @Test
    void aTokenThatCannotBeCheckedIs503UntilTheKeysCanBeFetched() throws Exception {
        keys.check("http://127.0.0.1:" + port + "/api/audit/records", tokens.token("jw-zhao", "dept-jw", "inspector"),
                tokens.forgedToken("jw-zhao", "dept-jw", "inspector"));
    }
}
