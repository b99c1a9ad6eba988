package gov.yuancheng.supervision.gateway;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API clients with bearer tokens, anonymous callers and the routes, over the wire: tokens signed by the test issuer
 * and checked against its JWKS, and a stub task-service that records what reaches it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=health,info,prometheus,gateway",
                "management.endpoint.gateway.access=read-only", "spring.kafka.admin.auto-create=false" })
class GatewayIntegrationTest {

    static final TestJwtIssuer tokens = TestJwtIssuer.get();
    static final StubService taskService = StubService.start();
    static final String SUPERVISOR = tokens.token("dcs-zhang", "office-dcs", "supervisor");
    static final String FGJ = tokens.token("fgj-li", "dept-fgj", "unit");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MongoWireTestServer.uri("gateway_" + GatewayIntegrationTest.class.getSimpleName()));
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", tokens::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwksUri);
        registry.add("TASK_SERVICE_URL", taskService::url);
        registry.add("NOTIFY_SERVICE_URL", StubService::nobodyListening);
        registry.add("KEYCLOAK_URL", StubService::nobodyListening);
    }

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;

    @BeforeEach
    void forgetEarlierRequests() {
        taskService.forget();
    }

    @Test
    void aBearerCallIsForwardedWithItsOwnTokenAndTheClientsAddressAndUserAgent() {
        var response = client().get("/api/tasks?page=0&size=5", "Authorization", "Bearer " + SUPERVISOR,
                "User-Agent", "supervision-cli/1.0");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("推进高新区扩园");
        var received = taskService.lastRequest();
        assertThat(received.uri()).isEqualTo("/api/tasks?page=0&size=5");
        assertThat(received.header("Authorization")).isEqualTo("Bearer " + SUPERVISOR);
        assertThat(received.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(received.header("User-Agent")).isEqualTo("supervision-cli/1.0");
        assertThat(received.header("traceparent")).as("the trace continues in the service").matches("00-\\p{XDigit}{32}-.*");
    }

    @Test
    void theLedgerStatisticsCalendarAndPlanImportAreTaskServicePaths() {
        for (String path : java.util.List.of("/api/ledger.xlsx?status=ACTIVE", "/api/ledger.csv", "/api/statistics?from=2026-01-01&to=2026-12-31",
                "/api/calendar/2026", "/api/plans/import", "/api/tasks/t1/attachments/a1")) {
            var response = client().get(path, "Authorization", "Bearer " + SUPERVISOR);

            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(taskService.lastRequest().uri()).isEqualTo(path);
        }
    }

    @Test
    void aClientCannotClaimAnotherAddressInXForwardedFor() {
        client().get("/api/tasks", "Authorization", "Bearer " + SUPERVISOR, "X-Forwarded-For", "203.0.113.9");

        assertThat(taskService.lastRequest().header("X-Forwarded-For")).isEqualTo("127.0.0.1");
    }

    @Test
    void anApiCallWithoutATokenIs401ProblemAndNeverARedirect() {
        var response = client().get("/api/tasks", "Accept", "text/html");

        assertProblem(response, 401, "/api/tasks");
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                h -> assertThat(h).startsWith("Bearer"));
        assertThat(taskService.lastRequest()).isNull();
    }

    @Test
    void aScriptWithoutSessionGets401EvenForAPage() {
        assertProblem(client().get("/some-page", "X-Requested-With", "XMLHttpRequest"), 401, "/some-page");
        assertProblem(client().get("/some-page", "Accept", "application/json"), 401, "/some-page");
    }

    @Test
    void aBrowserPageWithoutSessionIsRedirectedToTheKeycloakLogin() {
        var response = client().get("/some-page", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/oauth2/authorization/keycloak"));
    }

    @Test
    void whileKeycloakIsDownTheLoginLeadsBackToThePageWithAPlainMessage() {
        var login = client().get("/oauth2/authorization/keycloak", "Accept", "text/html");

        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValue("/?login=unavailable");
    }

    @Test
    void forgedExpiredWrongAudienceOrMalformedTokensAreRejectedWith401() {
        for (String token : List.of(tokens.forgedToken("dcs-zhang", "office-dcs", "supervisor"),
                tokens.expiredToken("dcs-zhang", "office-dcs", "supervisor"),
                tokens.wrongAudienceToken("dcs-zhang", "office-dcs", "supervisor"), "not-a-jwt")) {
            var response = client().get("/api/tasks", "Authorization", "Bearer " + token);

            assertProblem(response, 401, "/api/tasks");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    h -> assertThat(h).startsWith("Bearer").contains("invalid_token"));
        }
        assertThat(taskService.lastRequest()).isNull();
    }

    @Test
    void apiMeDescribesTheBearerOfTheTokenWithoutAskingAnyService() {
        var response = client().get("/api/me", "Authorization", "Bearer " + FGJ);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode me = json.readTree(response.body());
        assertThat(me.get("username").asString()).isEqualTo("fgj-li");
        assertThat(me.get("name").asString()).isEqualTo("fgj-li");
        assertThat(me.get("unit").asString()).isEqualTo("dept-fgj");
        assertThat(me.get("roles").get(0).asString()).isEqualTo("unit");
        assertThat(taskService.lastRequest()).isNull();
    }

    @Test
    void aPostWithABearerTokenNeedsNoCsrfToken() {
        var response = client().post("/api/tasks", "{\"title\":\"建设农村公路\"}", "Authorization", "Bearer " + SUPERVISOR);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(taskService.lastRequest().method()).isEqualTo("POST");
        assertThat(taskService.lastRequest().body()).isEqualTo("{\"title\":\"建设农村公路\"}");
    }

    @Test
    void aPostWithoutBearerTokenAndWithoutCsrfTokenIsRejected() {
        var response = client().post("/api/tasks", "{\"title\":\"建设农村公路\"}");

        assertProblem(response, 403, "/api/tasks");
        assertThat(taskService.lastRequest()).isNull();
    }

    @Test
    void aServiceThatIsDownIsA503Problem() {
        var response = client().get("/api/notifications/inbox", "Authorization", "Bearer " + FGJ);

        JsonNode problem = assertProblem(response, 503, "/api/notifications/inbox");
        assertThat(problem.get("detail").asString()).contains("notify-service");
        assertThat(response.body()).doesNotContain("Exception", "refused");
    }

    @Test
    void aPathThatNothingServesIsA404Problem() {
        assertProblem(client().get("/api/nothing-here", "Authorization", "Bearer " + FGJ), 404, "/api/nothing-here");
    }

    @Test
    void theThreeServicesAreRouted() {
        var response = client().get("/actuator/gateway/routes", "Authorization", "Bearer " + SUPERVISOR);

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json.readTree(response.body()).forEach(route -> ids.add(route.get("route_id").asString()));
        assertThat(ids).containsExactlyInAnyOrder("task-service", "notify-service", "audit-service",
                "task-service-openapi", "notify-service-openapi", "audit-service-openapi");
    }

    @Test
    void theServicesOpenApiDescriptionsAreBrowsableAtTheGateway() {
        var described = client().get("/api/docs/task-service", "Authorization", "Bearer " + SUPERVISOR);
        assertThat(described.statusCode()).isEqualTo(200);
        assertThat(taskService.lastRequest().uri()).isEqualTo("/v3/api-docs");

        var config = client().get("/v3/api-docs/swagger-config", "Authorization", "Bearer " + SUPERVISOR);
        assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
        List<String> urls = new ArrayList<>();
        json.readTree(config.body()).get("urls").forEach(url -> urls.add(url.get("url").asString()));
        assertThat(urls).contains("/api/docs/task-service", "/api/docs/notify-service", "/api/docs/audit-service");

        var page = client().get("/webjars/swagger-ui/index.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");
    }

    @Test
    void healthAndMetricsAreOpenForProbes() {
        var health = client().get("/actuator/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(json.readTree(health.body()).get("status").asString()).isEqualTo("UP");
        var metrics = client().get("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void theLandingPageIsPublicAndHandsOutTheCsrfCookie() {
        var browser = client();
        var page = browser.get("/", "Accept", "text/html");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("督查督办系统", "/api/me");
        assertThat(browser.cookie("XSRF-TOKEN")).isNotBlank();
        assertThat(page.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("XSRF-TOKEN") && c.contains("HttpOnly"));
    }

    private Browser client() {
        return new Browser(port);
    }

    private JsonNode assertProblem(HttpResponse<String> response, int status, String instance) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.propertyNames()).as(response.body()).contains("type", "title", "status", "detail", "instance");
        assertThat(problem.get("type").asString()).isEqualTo("about:blank");
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(problem.get("instance").asString()).isEqualTo(instance);
        return problem;
    }
}
