package gov.yuancheng.supervision.task;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AttachmentTest extends ServiceTestBase {

    static final byte[] PDF = "%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF".getBytes(StandardCharsets.US_ASCII);

    @Test
    void evidenceIsReadByItsUnitAndTheOfficeButNotByOtherUnits() throws Exception {
        String id = newTask("附件事项").get("id").asString();
        var uploaded = upload(id, FGJ, "验收报告.pdf", PDF);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        String file = read(uploaded).get("id").asString();
        assertThat(read(uploaded).get("contentType").asString()).isEqualTo("application/pdf");

        var byOffice = getBytes("/api/tasks/" + id + "/attachments/" + file, OFFICE);
        assertThat(byOffice.statusCode()).isEqualTo(200);
        assertThat(byOffice.body()).isEqualTo(PDF);
        assertThat(getBytes("/api/tasks/" + id + "/attachments/" + file, FGJ).statusCode()).isEqualTo(200);
        assertThat(getBytes("/api/tasks/" + id + "/attachments/" + file, YUANNAN).statusCode()).isEqualTo(404);
        assertThat(getBytes("/api/tasks/" + id + "/attachments/" + file, GXJ).statusCode()).isEqualTo(404);
        assertThat(upload(id, GXJ, "x.pdf", PDF).statusCode()).isEqualTo(404);
        assertThat(upload(id, OFFICE, "x.pdf", PDF).statusCode()).isEqualTo(403);
    }

    @Test
    void aReportCitesOnlyItsOwnUnitsFiles() throws Exception {
        String id = newTask("附件引用").get("id").asString();
        post("/api/tasks/" + id + "/acknowledge", FGJ, "");
        post("/api/tasks/" + id + "/acknowledge", YUANNAN, "");
        String own = read(upload(id, FGJ, "a.pdf", PDF)).get("id").asString();
        String theirs = read(upload(id, YUANNAN, "b.pdf", PDF)).get("id").asString();

        assertThat(post("/api/tasks/" + id + "/reports", FGJ,
                "{\"text\":\"附验收报告\",\"percent\":50,\"attachmentIds\":[\"" + own + "\"]}").statusCode()).isEqualTo(200);
        assertThat(post("/api/tasks/" + id + "/reports", FGJ,
                "{\"text\":\"引用他人附件\",\"percent\":60,\"attachmentIds\":[\"" + theirs + "\"]}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void programsVirusSignaturesUnknownTypesAndOversizedFilesAreRefused() throws Exception {
        String id = newTask("附件校验").get("id").asString();
        byte[] eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
                .getBytes(StandardCharsets.US_ASCII);

        assertThat(upload(id, FGJ, "eicar.txt", eicar).statusCode()).isEqualTo(400);
        assertThat(upload(id, FGJ, "report.pdf", new byte[] { 'M', 'Z', 0, 0 }).statusCode()).isEqualTo(400);
        assertThat(upload(id, FGJ, "run.sh", "#!/bin/sh\nrm -rf /".getBytes(StandardCharsets.US_ASCII)).statusCode())
                .isEqualTo(400);
        assertThat(upload(id, FGJ, "data.bin", new byte[] { 1, 2, 3 }).statusCode()).isEqualTo(400);
        assertThat(upload(id, FGJ, "big.pdf", big()).statusCode()).isEqualTo(413);
        assertThat(upload(id, FGJ, "说明.txt", "进展说明".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
    }

    private static byte[] big() {
        byte[] content = new byte[11 * 1024 * 1024];
        System.arraycopy(PDF, 0, content, 0, PDF.length);
        return content;
    }

    private HttpResponse<String> upload(String taskId, String token, String name, byte[] content) throws Exception {
        String boundary = "----evidence" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return http.send(request("/api/tasks/" + taskId + "/attachments", token,
                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
