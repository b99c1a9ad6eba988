package gov.yuancheng.supervision.task;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint × every role × own and other unit. The task is assigned to dept-fgj (lead) and
 * town-yuannan (co), answered for by leader-liu; dept-gxj and leader-he have nothing to do with it.
 */
class AuthorizationMatrixTest extends ServiceTestBase {

    enum Who {
        OFFICE(ServiceTestBase.OFFICE), LEAD_UNIT(FGJ), CO_UNIT(YUANNAN), OTHER_UNIT(GXJ), LEADER(ServiceTestBase.LEADER),
        OTHER_LEADER(ServiceTestBase.OTHER_LEADER), INSPECTOR(ServiceTestBase.INSPECTOR), ADMIN(ServiceTestBase.ADMIN);

        final String token;

        Who(String token) {
            this.token = token;
        }
    }

    enum Endpoint {
        READ, ACKNOWLEDGE, REPORT, REQUEST_EXTENSION, REQUEST_COMPLETION, URGE, CHANGE_DEADLINE, SUSPEND, CANCEL
    }

    // Expected status per endpoint, in the order of Who.
    static final Map<Endpoint, int[]> EXPECTED = Map.of(
            Endpoint.READ, new int[] { 200, 200, 200, 404, 200, 404, 200, 200 },
            Endpoint.ACKNOWLEDGE, new int[] { 403, 200, 200, 404, 403, 404, 403, 403 },
            Endpoint.REPORT, new int[] { 403, 200, 200, 404, 403, 404, 403, 403 },
            Endpoint.REQUEST_EXTENSION, new int[] { 403, 200, 200, 404, 403, 404, 403, 403 },
            Endpoint.REQUEST_COMPLETION, new int[] { 403, 200, 200, 404, 403, 404, 403, 403 },
            Endpoint.URGE, new int[] { 200, 403, 403, 404, 403, 404, 403, 403 },
            Endpoint.CHANGE_DEADLINE, new int[] { 200, 403, 403, 404, 403, 404, 403, 403 },
            Endpoint.SUSPEND, new int[] { 200, 403, 403, 404, 403, 404, 403, 403 },
            Endpoint.CANCEL, new int[] { 200, 403, 403, 404, 403, 404, 403, 403 });

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            for (Who who : Who.values()) {
                cases.add(Arguments.of(endpoint, who, EXPECTED.get(endpoint)[who.ordinal()]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} by {1} answers {2}")
    @MethodSource("matrix")
    void everyEndpointAnswersEveryRoleAsTheRulesSay(Endpoint endpoint, Who who, int expected) throws Exception {
        JsonNode task = newTask("权限矩阵 " + endpoint + " " + who);
        String id = task.get("id").asString();
        if (endpoint != Endpoint.ACKNOWLEDGE) {
            post("/api/tasks/" + id + "/acknowledge", FGJ, "");
            post("/api/tasks/" + id + "/acknowledge", YUANNAN, "");
        }
        long versionBefore = read(get("/api/tasks/" + id, OFFICE)).get("version").asLong();
        String lead = assignmentOf(task, "dept-fgj");

        var response = switch (endpoint) {
            case READ -> get("/api/tasks/" + id, who.token);
            case ACKNOWLEDGE -> post("/api/tasks/" + id + "/acknowledge", who.token, "");
            case REPORT -> post("/api/tasks/" + id + "/reports", who.token, "{\"text\":\"进展\",\"percent\":10}");
            case REQUEST_EXTENSION -> post("/api/tasks/" + id + "/extension-requests", who.token,
                    "{\"reason\":\"需要更多时间\",\"proposedDeadline\":\"2099-12-31\"}");
            case REQUEST_COMPLETION -> post("/api/tasks/" + id + "/completion-request", who.token,
                    "{\"summary\":\"完成\"}");
            case URGE -> post("/api/tasks/" + id + "/assignments/" + lead + "/urge", who.token, "{\"message\":\"请加快\"}");
            case CHANGE_DEADLINE -> post("/api/tasks/" + id + "/assignments/" + lead + "/deadline", who.token,
                    "{\"deadline\":\"2099-07-31\",\"reason\":\"调整\"}");
            case SUSPEND -> post("/api/tasks/" + id + "/suspend", who.token, "{\"reason\":\"暂停\"}");
            case CANCEL -> post("/api/tasks/" + id + "/cancel", who.token, "{\"reason\":\"撤销\"}");
        };

        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        if (expected != 200) {
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).doesNotContain("权限矩阵");
            assertThat(read(get("/api/tasks/" + id, OFFICE)).get("version").asLong()).isEqualTo(versionBefore);
        }
    }

    @Test
    void searchLedgerAndStatisticsNeverShowAnotherUnitsTask() throws Exception {
        String title = "只属于发改局的事项";
        newTask(title);
        String q = URLEncoder.encode(title, StandardCharsets.UTF_8);

        assertThat(read(get("/api/tasks?q=" + q, FGJ)).get("content")).hasSize(1);
        assertThat(read(get("/api/tasks?q=" + q, GXJ)).get("content")).isEmpty();
        assertThat(read(get("/api/tasks?q=" + q + "&unit=dept-fgj", GXJ)).get("content")).isEmpty();
        assertThat(read(get("/api/tasks?q=" + q, OTHER_LEADER)).get("content")).isEmpty();
        assertThat(new String(getBytes("/api/ledger.csv", GXJ).body(), StandardCharsets.UTF_8)).doesNotContain(title);
        assertThat(new String(getBytes("/api/ledger.csv", FGJ).body(), StandardCharsets.UTF_8)).contains(title);
        assertThat(get("/api/statistics?from=2000-01-01&to=2100-01-01", GXJ).body()).doesNotContain("dept-fgj");
    }

    @Test
    void aUnitSeesOnlyItsOwnAssignmentOfASharedTask() throws Exception {
        String id = newTask("共享事项").get("id").asString();

        JsonNode seenByCoUnit = read(get("/api/tasks/" + id, YUANNAN));

        assertThat(seenByCoUnit.get("assignments")).hasSize(1);
        assertThat(seenByCoUnit.get("assignments").get(0).get("unit").asString()).isEqualTo("town-yuannan");
    }
}
