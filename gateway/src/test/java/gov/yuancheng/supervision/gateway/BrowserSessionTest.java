package gov.yuancheng.supervision.gateway;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import gov.yuancheng.supervision.gateway.FakeKeycloak.User;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI's way in, end to end against a fake Keycloak: login with authorization code and PKCE, the session,
 * token relay to the services, CSRF, and logout that ends the Keycloak session too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.kafka.admin.auto-create=false")
class BrowserSessionTest {

    static final FakeKeycloak keycloak = FakeKeycloak.start();
    static final StubService taskService = StubService.start();
    static final TestJwtIssuer tokens = TestJwtIssuer.get();
    static final User ZHANG = new User("dcs-zhang", "张督查", "office-dcs", List.of("supervisor"));
    static final String MONGO = MongoWireTestServer.uri("gateway_browser_sessions");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MONGO);
        registry.add("KEYCLOAK_URL", keycloak::url);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", tokens::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwksUri);
        registry.add("TASK_SERVICE_URL", taskService::url);
    }

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;
    @Autowired
    ReactiveMongoTemplate mongo;

    @BeforeEach
    void forgetEarlierRequests() {
        taskService.forget();
    }

    @Test
    void signingInUsesPkceAndLeadsBackToThePageTheUserAskedFor() {
        var browser = new Browser(port);
        var page = browser.get("/some-page", "Accept", "text/html");
        var authorize = browser.get(location(page));

        assertThat(authorize.statusCode()).isEqualTo(302);
        URI authorizationRequest = URI.create(location(authorize));
        assertThat(authorizationRequest.toString()).startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?");
        Map<String, String> parameters = FakeKeycloak.form(authorizationRequest.getRawQuery());
        assertThat(parameters).containsEntry("client_id", "supervision-gateway")
                .containsEntry("response_type", "code")
                .containsEntry("scope", "openid profile email")
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", browser.base() + "/login/oauth2/code/keycloak")
                .containsKeys("code_challenge", "state", "nonce");

        String anonymousSession = browser.cookie("SESSION");
        var back = browser.get(keycloak.signIn(authorizationRequest, ZHANG).toString());

        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        assertThat(location(back)).startsWith("/some-page");
        assertThat(browser.cookie("SESSION")).isNotBlank().isNotEqualTo(anonymousSession);
    }

    @Test
    void apiMeDescribesTheSignedInUserFromTheirIdToken() {
        var browser = signedIn(ZHANG);

        var response = browser.get("/api/me", "X-Requested-With", "XMLHttpRequest");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode me = json.readTree(response.body());
        assertThat(me.get("username").asString()).isEqualTo("dcs-zhang");
        assertThat(me.get("name").asString()).isEqualTo("张督查");
        assertThat(me.get("unit").asString()).isEqualTo("office-dcs");
        assertThat(me.get("roles").get(0).asString()).isEqualTo("supervisor");
    }

    @Test
    void theSessionsAccessTokenIsRelayedToTheServiceButTheBrowsersCookiesAreNot() {
        var browser = signedIn(ZHANG);

        var response = browser.get("/api/tasks", "X-Requested-With", "XMLHttpRequest");

        assertThat(response.statusCode()).isEqualTo(200);
        var received = taskService.lastRequest();
        assertThat(received.header("Authorization")).isEqualTo("Bearer " + keycloak.lastAccessTokenOf(ZHANG));
        assertThat(received.header("Cookie")).isNull();
        assertThat(received.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
    }

    @Test
    void aSignedInBrowserMustSendTheCsrfTokenToChangeAnything() {
        var browser = signedIn(ZHANG);

        var forged = browser.post("/api/tasks", "{\"title\":\"伪造\"}", "X-Requested-With", "XMLHttpRequest");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(taskService.lastRequest()).isNull();

        var genuine = browser.post("/api/tasks", "{\"title\":\"建设农村公路\"}", "X-Requested-With", "XMLHttpRequest",
                "X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN"));
        assertThat(genuine.statusCode()).isEqualTo(200);
        assertThat(taskService.lastRequest().header("Authorization")).isEqualTo("Bearer " + keycloak.lastAccessTokenOf(ZHANG));
    }

    @Test
    void loggingOutFromTheScriptEndsTheKeycloakSessionTooAndForgetsTheUser() {
        var browser = signedIn(ZHANG);

        var logout = browser.post("/logout", "", "X-Requested-With", "XMLHttpRequest",
                "X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN"));

        assertThat(logout.statusCode()).isEqualTo(202);
        URI endSession = URI.create(location(logout));
        assertThat(endSession.toString()).startsWith(keycloak.issuer() + "/protocol/openid-connect/logout?");
        assertThat(FakeKeycloak.form(endSession.getRawQuery()))
                .containsEntry("post_logout_redirect_uri", browser.base() + "/")
                .containsKey("id_token_hint");
        assertThat(browser.get("/api/me", "X-Requested-With", "XMLHttpRequest").statusCode()).isEqualTo(401);
    }

    @Test
    void aSessionIsServedByAnyReplicaBecauseItLivesInTheSharedStore() {
        var browser = signedIn(ZHANG);
        try (var second = new SpringApplicationBuilder(GatewayApplication.class).run("--server.port=0",
                "--management.server.port=-1", "--spring.kafka.admin.auto-create=false",
                "--spring.mongodb.uri=" + MONGO, "--KEYCLOAK_URL=" + keycloak.url(),
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + tokens.issuer(),
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + tokens.jwksUri(),
                "--TASK_SERVICE_URL=" + taskService.url())) {
            var sameCookies = browser.at(((WebServerApplicationContext) second).getWebServer().getPort());

            var me = sameCookies.get("/api/me", "X-Requested-With", "XMLHttpRequest");

            assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
            assertThat(json.readTree(me.body()).get("username").asString()).isEqualTo("dcs-zhang");
        }
    }

    @Test
    void signingInAndOutAreSecurityEventsKeptUntilKafkaTakesThem() {
        var user = new User("event-li", "李事件", "dept-fgj", List.of("unit"));
        var browser = signedIn(user);
        browser.post("/logout", "", "X-Requested-With", "XMLHttpRequest", "X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN"));

        // in the order the relay publishes them (a store keeps no order of insertion)
        List<JsonNode> events = mongo.find(new Query().with(Sort.by("createdAt")), Document.class, "security_outbox")
                .collectList().block().stream()
                .map(pending -> json.readTree(pending.getString("event")))
                .filter(event -> "event-li".equals(event.path("subject").asString(null)))
                .toList();

        assertThat(events).extracting(event -> event.get("type").asString()).containsExactly(
                "gov.supervision.security.login-succeeded.v1", "gov.supervision.security.logged-out.v1");
        assertThat(events).allSatisfy(event -> {
            assertThat(event.get("actorid").asString()).isEqualTo(user.subject());
            assertThat(event.get("actororg").asString()).isEqualTo("dept-fgj");
            assertThat(event.get("actorname").asString()).isEqualTo("李事件");
        });
    }

    @Test
    void aLogoutFormIsRedirectedToKeycloak() {
        var browser = signedIn(ZHANG);

        var logout = browser.post("/logout", "", "X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN"));

        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(location(logout)).startsWith(keycloak.issuer() + "/protocol/openid-connect/logout?");
    }

    @Test
    void logoutWithoutTheCsrfTokenIsRefused() {
        var browser = signedIn(ZHANG);

        assertThat(browser.post("/logout", "", "X-Requested-With", "XMLHttpRequest").statusCode()).isEqualTo(403);
        assertThat(browser.get("/api/me", "X-Requested-With", "XMLHttpRequest").statusCode()).isEqualTo(200);
    }

    /** Through Keycloak's login, then the landing page as the browser would load it (which sets the CSRF cookie). */
    private Browser signedIn(User user) {
        var browser = new Browser(port);
        var authorize = browser.get("/oauth2/authorization/keycloak");
        var back = browser.get(keycloak.signIn(URI.create(location(authorize)), user).toString());
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        assertThat(browser.get("/", "Accept", "text/html").statusCode()).isEqualTo(200);
        assertThat(browser.cookie("XSRF-TOKEN")).isNotBlank();
        return browser;
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("no redirect but " + response.statusCode() + " " + response.body()));
    }
}
