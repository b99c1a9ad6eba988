package gov.yuancheng.supervision.task;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets 400 problem+json and changes nothing; MongoDB operators are never taken as a query. */
class BadInputTest extends ServiceTestBase {

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"title\":{\"$ne\":null},\"category\":\"livelihood\",\"leadUnit\":\"dept-fgj\",\"deadline\":\"2099-01-01\"}",
            "{\"title\":\"t\",\"category\":\"livelihood\",\"leadUnit\":{\"$gt\":\"\"},\"deadline\":\"2099-01-01\"}",
            "{\"title\":\"t\",\"category\":\"livelihood\",\"leadUnit\":\"dept-fgj\",\"coUnits\":[{\"$where\":\"1\"}],\"deadline\":\"2099-01-01\"}",
            "{\"title\":\"t\",\"category\":\"$where\",\"leadUnit\":\"dept-fgj\",\"deadline\":\"2099-01-01\"}",
            "{\"title\":\"t\",\"category\":\"livelihood\",\"leadUnit\":\"dept-fgj\",\"deadline\":\"2099-02-30\"}",
            "{\"title\":\"t\",\"category\":\"livelihood\",\"leadUnit\":\"dept-fgj\",\"deadline\":\"2099-01-01\",\"deadlineWorkingDays\":5}",
            "{\"title\":\"t\",\"category\":\"livelihood\",\"leadUnit\":\"dept-fgj\",\"deadlineWorkingDays\":0}",
            "{\"title\":\"t\",\"category\":\"livelihood\",\"leadUnit\":\"dept-fgj\",\"deadline\":\"2099-01-01\",\"priority\":\"URGENT\"}",
            "{\"title\":\"t\",\"category\":\"livelihood\",\"leadUnit\":\"dept-fgj\",\"deadline\":\"2099-01-01\",\"reportingCycle\":{\"kind\":\"WEEKLY\",\"dueDay\":9}}",
            "[]",
            "not json" })
    void aBadRegistrationIsRefusedAndStoresNothing(String body) throws Exception {
        long before = total();

        var response = post("/api/tasks", OFFICE, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).doesNotContain("Exception", "at gov.", "at org.");
        assertThat(total()).isEqualTo(before);
    }

    @Test
    void anOverlongTitleIsRefused() throws Exception {
        var response = post("/api/tasks", OFFICE, """
                {"title":"%s","category":"livelihood","leadUnit":"dept-fgj","deadline":"2099-01-01"}
                """.formatted("长".repeat(201)));

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = { "status=%24ne", "light=PURPLE", "category=%7B%22%24gt%22%3A%22%22%7D", "unit=%24where",
            "deadlineFrom=yesterday", "size=100000", "page=-1", "sort=%24natural", "parentId=%7B%24ne%7D" })
    void aBadSearchIsRefused(String query) throws Exception {
        var response = get("/api/tasks?" + query, OFFICE);

        assertThat(response.statusCode()).as(query + " " + response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void searchTextIsALiteralNotAPattern() throws Exception {
        newTask("普通事项 A");

        JsonNode found = read(get("/api/tasks?q=" + URLEncoder.encode(".*", StandardCharsets.UTF_8), OFFICE));

        assertThat(found.get("content")).isEmpty();
    }

    @Test
    void badActionInputChangesNothing() throws Exception {
        String id = newTask("动作输入校验").get("id").asString();
        post("/api/tasks/" + id + "/acknowledge", FGJ, "");
        long version = read(get("/api/tasks/" + id, OFFICE)).get("version").asLong();

        assertThat(post("/api/tasks/" + id + "/reports", FGJ, "{\"text\":\"x\",\"percent\":101}").statusCode()).isEqualTo(400);
        assertThat(post("/api/tasks/" + id + "/reports", FGJ, "{\"text\":\"" + "字".repeat(5001) + "\",\"percent\":5}")
                .statusCode()).isEqualTo(400);
        assertThat(post("/api/tasks/" + id + "/reports", FGJ, "{\"text\":{\"$set\":{\"status\":\"COMPLETED\"}}}")
                .statusCode()).isEqualTo(400);
        assertThat(post("/api/tasks/" + id + "/extension-requests", FGJ, "{\"reason\":\"\",\"proposedDeadline\":\"2099-12-31\"}")
                .statusCode()).isEqualTo(400);
        assertThat(post("/api/tasks/" + id + "/extension-requests", FGJ, "{\"reason\":\"早于原期限\",\"proposedDeadline\":\"2099-01-01\"}")
                .statusCode()).isEqualTo(400);
        assertThat(post("/api/tasks/" + id + "/acknowledge", FGJ, "", Map.of("If-Match", "not-a-version"))
                .statusCode()).isEqualTo(400);
        assertThat(post("/api/tasks/" + id + "/reports", FGJ, "{\"text\":\"x\",\"percent\":5}",
                Map.of("Idempotency-Key", "bad key with spaces")).statusCode()).isEqualTo(400);
        assertThat(get("/api/tasks/" + "..%2F..%2Fetc", OFFICE).statusCode()).isIn(400, 404);

        assertThat(read(get("/api/tasks/" + id, OFFICE)).get("version").asLong()).isEqualTo(version);
    }

    private long total() throws Exception {
        return read(get("/api/tasks?size=1", OFFICE)).get("page").get("totalElements").asLong();
    }
}
