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
    void theTaskItsAuditRecordsAndTheNoticeSurviveARestart() throws Exception {
        stack.stop();
        stack.start();

        assertThat(get(GATEWAY, "/api/tasks/" + taskId, token("dcs-zhang")).statusCode()).isEqualTo(200);
        assertThat(types(auditRecords(token("jw-zhao")))).hasSize(3);
        assertThat(noticeTaskIds(token("fgj-li"))).contains(taskId);
    }

    private static List<JsonNode> auditRecords(String token) throws Exception {
        var response = get(GATEWAY, "/api/audit/records?subject=" + taskId, token);
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
