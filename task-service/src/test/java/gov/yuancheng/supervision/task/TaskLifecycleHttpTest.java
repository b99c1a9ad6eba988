package gov.yuancheng.supervision.task;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class TaskLifecycleHttpTest extends ServiceTestBase {

    @Test
    void aTaskGoesFromRegistrationToEvaluationThroughTheApi() throws Exception {
        JsonNode task = newTask("推进工业园三期开发建设");
        String id = task.get("id").asString();
        String lead = assignmentOf(task, "dept-fgj");
        String co = assignmentOf(task, "town-yuannan");

        var acknowledged = post("/api/tasks/" + id + "/acknowledge", FGJ, "");
        assertThat(acknowledged.statusCode()).as(acknowledged.headers().map() + acknowledged.body()).isEqualTo(200);
        assertOk(post("/api/tasks/" + id + "/acknowledge", YUANNAN, ""));
        assertOk(post("/api/tasks/" + id + "/reports", FGJ, """
                {"text":"完成规划选址","percent":40,"citedUnits":["town-yuannan"]}"""));
        assertOk(post("/api/tasks/" + id + "/reports", YUANNAN, "{\"noChange\":true}"));
        assertOk(post("/api/tasks/" + id + "/assignments/" + co + "/urge", OFFICE, """
                {"message":"请加快推进"}"""));
        JsonNode extended = read(post("/api/tasks/" + id + "/extension-requests", FGJ, """
                {"reason":"用地审批未完成","proposedDeadline":"2099-08-31"}"""));
        String requestId = extended.get("assignments").get(0).get("extensionRequests").get(0).get("id").asString();
        JsonNode decided = read(post("/api/tasks/" + id + "/assignments/" + lead + "/extension-requests/" + requestId
                + "/decision", OFFICE, "{\"approved\":true,\"reason\":\"同意\"}"));
        assertThat(decided.get("assignments").get(0).get("deadline").asString()).isEqualTo("2099-08-31");
        assertThat(decided.get("assignments").get(0).get("originalDeadline").asString()).isEqualTo("2099-06-30");

        post("/api/tasks/" + id + "/completion-request", FGJ, "{\"summary\":\"已完工\"}");
        var returned = post("/api/tasks/" + id + "/assignments/" + lead + "/review", OFFICE,
                "{\"approved\":false,\"reason\":\"缺少验收材料\"}");
        assertThat(read(returned).get("assignments").get(0).get("state").asString()).isEqualTo("ACKNOWLEDGED");
        post("/api/tasks/" + id + "/completion-request", FGJ, "{\"summary\":\"已补充材料\"}");
        post("/api/tasks/" + id + "/assignments/" + lead + "/review", OFFICE, "{\"approved\":true}");
        post("/api/tasks/" + id + "/completion-request", YUANNAN, "{\"summary\":\"配合完成\"}");
        JsonNode done = read(post("/api/tasks/" + id + "/assignments/" + co + "/review", OFFICE, "{\"approved\":true}"));
        assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(done.get("allowedActions").values()).extracting(JsonNode::asString).containsExactly("EVALUATE");

        JsonNode evaluated = read(post("/api/tasks/" + id + "/evaluation", OFFICE,
                "{\"timeliness\":95,\"quality\":90,\"comment\":\"按期高质量完成\"}"));
        assertThat(evaluated.get("evaluation").get("quality").asInt()).isEqualTo(90);
    }

    @Test
    void anIllegalTransitionIs409NamingTheAllowedActions() throws Exception {
        String id = newTask("未签收先办结").get("id").asString();

        var response = post("/api/tasks/" + id + "/completion-request", FGJ, "{\"summary\":\"完成\"}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(read(response).get("allowedActions").values()).extracting(JsonNode::asString)
                .containsExactlyInAnyOrder("ACKNOWLEDGE", "REQUEST_EXTENSION");
    }

    @Test
    void aStaleIfMatchIs412AndChangesNothing() throws Exception {
        JsonNode task = newTask("并发修改");
        String id = task.get("id").asString();
        var first = post("/api/tasks/" + id + "/acknowledge", FGJ, "", Map.of("If-Match", "\"0\""));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("ETag")).hasValue("\"1\"");

        var stale = post("/api/tasks/" + id + "/acknowledge", YUANNAN, "", Map.of("If-Match", "\"0\""));

        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(read(get("/api/tasks/" + id, OFFICE)).get("version").asLong()).isEqualTo(1);
    }

    @Test
    void aRetriedRequestWithTheSameIdempotencyKeyIsAppliedOnce() throws Exception {
        String id = newTask("重复提交").get("id").asString();
        post("/api/tasks/" + id + "/acknowledge", FGJ, "");
        Map<String, String> key = Map.of("Idempotency-Key", "report-2026-03-02-1");

        var first = post("/api/tasks/" + id + "/reports", FGJ, "{\"text\":\"进展\",\"percent\":10}", key);
        var retry = post("/api/tasks/" + id + "/reports", FGJ, "{\"text\":\"进展\",\"percent\":10}", key);

        assertOk(first);
        assertOk(retry);
        assertThat(read(get("/api/tasks/" + id, FGJ)).get("assignments").get(0).get("reports")).hasSize(1);
    }

    @Test
    void aRetriedRegistrationCreatesOneTask() throws Exception {
        String body = """
                {"title":"重复立项","category":"livelihood","leadUnit":"dept-jyj","deadline":"2099-01-31"}""";
        Map<String, String> key = Map.of("Idempotency-Key", "register-once-1");

        var first = post("/api/tasks", OFFICE, body, key);
        var retry = post("/api/tasks", OFFICE, body, key);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(read(retry).get("id").asString()).isEqualTo(read(first).get("id").asString());
    }

    @Test
    void aSubTaskMayNotOutlastItsParent() throws Exception {
        String parent = newTask("分解上级").get("id").asString();

        var tooLate = post("/api/tasks", OFFICE, """
                {"parentId":"%s","title":"子事项","category":"urban-economy","leadUnit":"town-yuannan","deadline":"2099-12-31"}
                """.formatted(parent));
        var fine = post("/api/tasks", OFFICE, """
                {"parentId":"%s","title":"子事项","category":"urban-economy","leadUnit":"town-yuannan","deadline":"2099-05-31"}
                """.formatted(parent));

        assertThat(tooLate.statusCode()).isEqualTo(400);
        assertThat(fine.statusCode()).isEqualTo(201);
        assertThat(read(get("/api/tasks?parentId=" + parent, OFFICE)).get("content")).hasSize(1);
    }

    @Test
    void theLedgerIsASpreadsheetWithChineseHeadersAndACsvForSpreadsheetPrograms() throws Exception {
        newTask("台账导出事项");

        var xlsx = getBytes("/api/ledger.xlsx?category=urban-economy", OFFICE);
        assertThat(xlsx.statusCode()).isEqualTo(200);
        // Kept for a look in a spreadsheet program (see the README: checked in LibreOffice Calc).
        java.nio.file.Files.write(java.nio.file.Path.of("target", "ledger-sample.xlsx"), xlsx.body());
        try (var workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            var sheet = workbook.getSheet("督办台账");
            assertThat(sheet.getRow(0).getCell(1).getStringCellValue()).isEqualTo("事项名称");
            assertThat(sheet.getPrintSetup().getLandscape()).isTrue();
            assertThat(sheet.getRepeatingRows().formatAsString()).isEqualTo("1:1");
            assertThat(sheet.getRow(0).getCell(6).getStringCellValue()).isEqualTo("承办单位");
            boolean found = false;
            for (int i = 1; i <= sheet.getLastRowNum(); i++) {
                found |= sheet.getRow(i).getCell(1).getStringCellValue().equals("台账导出事项");
            }
            assertThat(found).isTrue();
        }
        var csv = getBytes("/api/ledger.csv", OFFICE);
        assertThat(csv.body()).startsWith(0xEF, 0xBB, 0xBF);
        assertThat(new String(csv.body(), StandardCharsets.UTF_8)).contains("督办编号", "台账导出事项", "牵头单位");
    }

    @Test
    void statisticsCountAssignmentsPerUnit() throws Exception {
        String id = newTask("统计事项").get("id").asString();
        post("/api/tasks/" + id + "/acknowledge", FGJ, "");

        JsonNode figures = read(get("/api/statistics?from=2000-01-01&to=2100-01-01&by=UNIT", OFFICE));
        JsonNode fgj = null;
        for (JsonNode f : figures) {
            if (f.get("key").asString().equals("dept-fgj")) {
                fgj = f;
            }
        }
        assertThat(fgj).isNotNull();
        assertThat(fgj.get("assigned").asInt()).isPositive();
        assertThat(fgj.get("acknowledgedOnTime").asInt()).isPositive();
    }

    @Test
    void theCalendarIsSharedAndOnlyAnAdministratorReplacesAYear() throws Exception {
        assertThat(read(get("/api/calendar/2026", FGJ)).get("workdays").values()).extracting(JsonNode::asString)
                .contains("2026-02-14");
        assertThat(read(get("/api/calendar/working-days?from=2026-02-13&days=3", FGJ)).get("date").asString())
                .isEqualTo("2026-02-25");

        String year = "{\"holidays\":[\"2030-01-01\"],\"workdays\":[],\"source\":\"测试通知\"}";
        assertThat(http.send(request("/api/calendar/2030", OFFICE, Map.of("Content-Type", "application/json"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(year)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        assertThat(http.send(request("/api/calendar/2030", ADMIN, Map.of("Content-Type", "application/json"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(year)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(read(get("/api/calendar/working-days?from=2029-12-31&days=1", FGJ)).get("date").asString())
                .isEqualTo("2030-01-02");
    }

    @Test
    void theDemoPlanImportsOnceAndABadPlanImportsNothing() throws Exception {
        byte[] plan = getClass().getResourceAsStream("/plans/yuancheng-8th-congress.yaml").readAllBytes();

        JsonNode first = upload("/api/plans/import", OFFICE, "plan.yaml", plan);
        JsonNode again = upload("/api/plans/import", OFFICE, "plan.yaml", plan);

        assertThat(first.get("tasks").asInt()).isGreaterThanOrEqualTo(25);
        assertThat(first.get("created").asInt()).isEqualTo(first.get("tasks").asInt());
        assertThat(again.get("created").asInt()).isZero();

        long before = read(get("/api/tasks?size=1", OFFICE)).get("page").get("totalElements").asLong();
        byte[] bad = """
                plan: 有错误的计划
                tasks:
                  - {title: 正常事项, category: livelihood, leadUnit: dept-jyj, deadline: 2099-01-01}
                  - {title: 缺少牵头单位, category: livelihood, deadline: 2099-01-01}
                  - {title: 期限已过, category: livelihood, leadUnit: dept-jyj, deadline: 2001-01-01}
                """.getBytes(StandardCharsets.UTF_8);
        var refused = uploadResponse("/api/plans/import", OFFICE, "bad.yaml", bad);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(read(refused).get("errors").findValuesAsString("item")).containsExactly("第 2 项", "第 3 项");
        assertThat(read(get("/api/tasks?size=1", OFFICE)).get("page").get("totalElements").asLong()).isEqualTo(before);
        assertThat(uploadResponse("/api/plans/import", FGJ, "plan.yaml", plan).statusCode()).isEqualTo(403);
    }

    @Test
    void aSpreadsheetPlanImportsWithSubTasksAndBadRowsAreNamedByRowNumber() throws Exception {
        byte[] good = workbook(new String[][] {
                { "1", "", "表格导入的事项", "livelihood", "会议决定", "区政府常务会议纪要", "高", "leader-liu", "dept-jyj",
                        "dept-czj、town-dongpu", "2099-06-30", "", "每月", "25" },
                { "1.1", "1", "表格导入的子事项", "livelihood", "", "", "", "", "town-dongpu", "", "2099-05-31", "", "", "" },
                { "2", "", "按工作日计期限", "livelihood", "", "", "中", "", "dept-wjj", "", "", "20", "", "" } });

        JsonNode imported = upload("/api/plans/import", OFFICE, "计划.xlsx", good);

        assertThat(imported.get("tasks").asInt()).isEqualTo(3);
        JsonNode parent = read(get("/api/tasks/" + imported.get("taskIds").get(0).asString(), OFFICE));
        assertThat(parent.get("coUnits").values()).extracting(JsonNode::asString)
                .containsExactly("dept-czj", "town-dongpu");
        assertThat(parent.get("reportingCycle").get("kind").asString()).isEqualTo("MONTHLY");
        JsonNode child = read(get("/api/tasks/" + imported.get("taskIds").get(1).asString(), OFFICE));
        assertThat(child.get("parentId").asString()).isEqualTo(parent.get("id").asString());

        byte[] bad = workbook(new String[][] {
                { "1", "", "正常", "livelihood", "", "", "", "", "dept-jyj", "", "2099-06-30", "", "", "" },
                { "2", "", "优先级错误", "livelihood", "", "", "紧急", "", "dept-jyj", "", "2099-06-30", "", "", "" },
                { "3", "", "缺少牵头单位", "livelihood", "", "", "", "", "", "", "2099-06-30", "", "", "" } });
        var refused = uploadResponse("/api/plans/import", OFFICE, "bad.xlsx", bad);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(read(refused).get("errors").findValuesAsString("item")).containsExactly("第 3 行", "第 4 行");
    }

    private static byte[] workbook(String[][] rows) throws Exception {
        try (var workbook = new XSSFWorkbook(); var out = new java.io.ByteArrayOutputStream()) {
            var sheet = workbook.createSheet("2026年督办计划");
            var header = sheet.createRow(0);
            List<String> columns = List.of("序号", "上级序号", "事项名称", "类别", "来源", "来源文号", "优先级", "责任领导",
                    "牵头单位", "配合单位", "期限", "工作日数", "报送周期", "报送日");
            for (int i = 0; i < columns.size(); i++) {
                header.createCell(i).setCellValue(columns.get(i));
            }
            for (int r = 0; r < rows.length; r++) {
                var row = sheet.createRow(r + 1);
                for (int c = 0; c < rows[r].length; c++) {
                    row.createCell(c).setCellValue(rows[r][c]);
                }
            }
            workbook.write(out);
            return out.toByteArray();
        }
    }

    private static void assertOk(java.net.http.HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private JsonNode upload(String path, String token, String name, byte[] content) throws Exception {
        var response = uploadResponse(path, token, name, content);
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        return read(response);
    }

    private java.net.http.HttpResponse<String> uploadResponse(String path, String token, String name, byte[] content)
            throws Exception {
        String boundary = "----plan" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/yaml\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return http.send(request(path, token, Map.of("Content-Type", "multipart/form-data; boundary=" + boundary))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

}
