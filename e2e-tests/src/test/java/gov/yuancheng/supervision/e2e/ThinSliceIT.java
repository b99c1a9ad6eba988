package gov.yuancheng.supervision.e2e;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static gov.yuancheng.supervision.e2e.Stack.AUDIT;
import static gov.yuancheng.supervision.e2e.Stack.GATEWAY;
import static gov.yuancheng.supervision.e2e.Stack.NOTIFY;
import static gov.yuancheng.supervision.e2e.Stack.TASK;
import static gov.yuancheng.supervision.e2e.Stack.get;
import static gov.yuancheng.supervision.e2e.Stack.post;
import static gov.yuancheng.supervision.e2e.Stack.read;
import static gov.yuancheng.supervision.e2e.Stack.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The thin slice through every part, on the running stack with real Keycloak tokens: a supervisor
 * registers a task through the gateway; the audit trail and the unit's inbox receive it through
 * Kafka; another unit cannot see it; it all survives a restart of the stack.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThinSliceIT {

    static final Stack stack = new Stack();
    static String taskId;

    @BeforeAll
    static void startStack() throws Exception {
        stack.startFresh();
    }

    @AfterAll
    static void stopStack() throws Exception {
        stack.stop();
    }

    @Test
    @Order(1)
    void theLauncherPrintsTheGatewayUrlAndTheDemoLogins() {
        assertThat(stack.output()).anyMatch(line -> line.contains("http://127.0.0.1:" + GATEWAY + "/"));
        assertThat(stack.output()).anyMatch(line -> line.contains("dcs-zhang") && line.contains(Stack.PASSWORD));
        assertThat(stack.output()).anyMatch(line -> line.startsWith("Stack ready in"));
    }

    @Test
    @Order(2)
    void aTaskRegisteredThroughTheGatewayReachesTheAuditTrailAndTheUnitsInbox() throws Exception {
        var created = post(GATEWAY, "/api/tasks", token("dcs-zhang"), """
                {"title":"推进高新区扩园提质","description":"完成扩园规划报批","category":"urban-economy","leadUnit":"dept-fgj",
                 "coUnits":["town-yuannan"],"deadline":"%s","responsibleLeader":"leader-liu"}
                """.formatted(LocalDate.now().plusMonths(3)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        taskId = read(created).get("id").asString();

        String inspector = token("jw-zhao");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> types(auditRecords(inspector)).size() >= 3);
        List<JsonNode> records = auditRecords(inspector);
        assertThat(types(records)).containsExactly("gov.supervision.task.registered.v1",
                "gov.supervision.task.assigned.v1", "gov.supervision.task.assigned.v1");
        assertThat(records.get(0).get("actor").get("name").asString()).isEqualTo("张 明");
        assertThat(records.get(0).get("actor").get("unit").asString()).isEqualTo("office-dcs");
        assertThat(records.get(0).get("clientAddress").asString()).isNotBlank();

        String fgj = token("fgj-li");
        await().atMost(Duration.ofSeconds(30)).until(() -> noticeTaskIds(fgj).contains(taskId));
        String yuannan = token("yuannan-wang");
        await().atMost(Duration.ofSeconds(30)).until(() -> noticeTaskIds(yuannan).contains(taskId));
        assertThat(noticeTaskIds(token("gxj-chen"))).doesNotContain(taskId);
    }

    @Test
    @Order(3)
    void anotherUnitCannotSeeTheTaskThroughTheGatewayOrTheService() throws Exception {
        String gxj = token("gxj-chen");
        assertThat(get(GATEWAY, "/api/tasks/" + taskId, gxj).statusCode()).isEqualTo(404);
        assertThat(get(TASK, "/api/tasks/" + taskId, gxj).statusCode()).isEqualTo(404);
        assertThat(get(GATEWAY, "/api/tasks/" + taskId, token("fgj-li")).statusCode()).isEqualTo(200);
        assertThat(get(GATEWAY, "/api/tasks/" + taskId, token("leader-liu")).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void onlyInspectorsReadTheAuditTrail() throws Exception {
        assertThat(get(GATEWAY, "/api/audit/records?subject=" + taskId, token("dcs-zhang")).statusCode())
                .isEqualTo(403);
        assertThat(get(GATEWAY, "/api/audit/records?subject=" + taskId, token("fgj-li")).statusCode())
                .isEqualTo(403);
    }

    @Test
    @Order(5)
    void forgedTamperedOrWrongAudienceTokensGet401FromEveryServiceDirectly() throws Exception {
        String real = token("dcs-zhang");
        List<String> bad = List.of(forge(real), tamper(real), Stack.serviceAccountToken(), "not.a.token");
        for (int port : List.of(TASK, NOTIFY, AUDIT, GATEWAY)) {
            String path = port == AUDIT ? "/api/audit/records" : port == NOTIFY ? "/api/notifications" : "/api/tasks";
            assertThat(get(port, path, real).statusCode()).as("real token on " + port).isNotEqualTo(401);
            for (String token : bad) {
                var response = get(port, path, token);
                assertThat(response.statusCode()).as(port + " " + token).isEqualTo(401);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/problem+json"));
            }
        }
    }

    @Test
    @Order(6)
    void theWholeLifecycleRunsThroughTheGatewayWithKeycloakTokens() throws Exception {
        String office = token("dcs-zhang");
        String fgj = token("fgj-li");
        String yuannan = token("yuannan-wang");
        JsonNode task = read(get(GATEWAY, "/api/tasks/" + taskId, office));
        String lead = assignment(task, "dept-fgj");
        String co = assignment(task, "town-yuannan");

        ok(post(GATEWAY, "/api/tasks/" + taskId + "/acknowledge", fgj, ""));
        ok(post(GATEWAY, "/api/tasks/" + taskId + "/acknowledge", yuannan, ""));
        ok(post(GATEWAY, "/api/tasks/" + taskId + "/reports", fgj, "{\"text\":\"规划已报批\",\"percent\":60}"));
        ok(post(GATEWAY, "/api/tasks/" + taskId + "/assignments/" + co + "/urge", office, "{\"message\":\"请加快\"}"));
        ok(post(GATEWAY, "/api/tasks/" + taskId + "/completion-request", fgj, "{\"summary\":\"已完成\"}"));
        ok(post(GATEWAY, "/api/tasks/" + taskId + "/assignments/" + lead + "/review", office,
                "{\"approved\":false,\"reason\":\"请补充验收材料\"}"));
        ok(post(GATEWAY, "/api/tasks/" + taskId + "/completion-request", fgj, "{\"summary\":\"已补充\"}"));
        ok(post(GATEWAY, "/api/tasks/" + taskId + "/assignments/" + lead + "/review", office, "{\"approved\":true}"));
        ok(post(GATEWAY, "/api/tasks/" + taskId + "/completion-request", yuannan, "{\"summary\":\"配合完成\"}"));
        JsonNode done = read(ok(post(GATEWAY, "/api/tasks/" + taskId + "/assignments/" + co + "/review", office,
                "{\"approved\":true}")));
        assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
        ok(post(GATEWAY, "/api/tasks/" + taskId + "/evaluation", office, "{\"timeliness\":95,\"quality\":90}"));
        assertThat(post(GATEWAY, "/api/tasks/" + taskId + "/evaluation", token("jw-zhao"), "{\"timeliness\":1,\"quality\":1}")
                .statusCode()).isEqualTo(403);

        String inspector = token("jw-zhao");
        await().atMost(Duration.ofSeconds(30)).until(() -> types(auditRecords(inspector))
                .contains("gov.supervision.task.evaluated.v1"));
        assertThat(types(auditRecords(inspector))).contains("gov.supervision.task.acknowledged.v1",
                "gov.supervision.task.progress-reported.v1", "gov.supervision.task.urged.v1",
                "gov.supervision.task.reviewed.v1", "gov.supervision.task.completion-requested.v1");
    }

    @Test
    @Order(7)
    void theDistrictWorkPlanIsLoadedAsDemoTasks() throws Exception {
        JsonNode page = read(get(GATEWAY, "/api/tasks?size=1", token("dcs-zhang")));
        assertThat(page.get("page").get("totalElements").asLong()).isGreaterThanOrEqualTo(25);
        JsonNode park = read(get(GATEWAY, "/api/tasks?q=" + java.net.URLEncoder.encode("工业园三期",
                java.nio.charset.StandardCharsets.UTF_8), token("dcs-zhang")));
        assertThat(park.get("content").size()).isGreaterThanOrEqualTo(1);
        var ledger = Stack.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + GATEWAY + "/api/ledger.xlsx")).header("Authorization", "Bearer " + token("dcs-zhang"))
                .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ledger.statusCode()).isEqualTo(200);
        assertThat(ledger.body()).startsWith('P', 'K');
    }

    @Test
    @Order(8)
    void theTaskItsAuditRecordsAndTheNoticeSurviveARestart() throws Exception {
        stack.stop();
        stack.start();

        assertThat(read(get(GATEWAY, "/api/tasks/" + taskId, token("dcs-zhang"))).get("status").asString())
                .isEqualTo("COMPLETED");
        assertThat(types(auditRecords(token("jw-zhao")))).contains("gov.supervision.task.registered.v1",
                "gov.supervision.task.evaluated.v1");
        assertThat(noticeTaskIds(token("fgj-li"))).contains(taskId);
    }

    private static java.net.http.HttpResponse<String> ok(java.net.http.HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static String assignment(JsonNode task, String unit) {
        for (JsonNode a : task.get("assignments")) {
            if (a.get("unit").asString().equals(unit)) {
                return a.get("id").asString();
            }
        }
        throw new AssertionError("no assignment of " + unit);
    }

    private static List<JsonNode> auditRecords(String token) throws Exception {
        var response = get(GATEWAY, "/api/audit/records?size=200&subject=" + taskId, token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> records = new ArrayList<>();
        read(response).get("content").forEach(records::add);
        return records;
    }

    private static List<String> types(List<JsonNode> records) {
        return records.stream().map(r -> r.get("type").asString()).toList();
    }

    private static List<String> noticeTaskIds(String token) throws Exception {
        var response = get(GATEWAY, "/api/notifications?size=200", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        read(response).get("content").forEach(n -> ids.add(n.get("taskId").asString()));
        return ids;
    }

    /** The real token's header and claims, signed with a key Keycloak never published. */
    private static String forge(String real) throws Exception {
        String[] parts = real.split("\\.");
        var keys = KeyPairGenerator.getInstance("RSA");
        keys.initialize(2048);
        var signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(keys.generateKeyPair().getPrivate());
        signer.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
    }

    /** The real token with its claims changed (another unit) and the original signature kept. */
    private static String tamper(String real) {
        String[] parts = real.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("office-dcs", "dept-gxj");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }
}
