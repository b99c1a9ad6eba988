package gov.yuancheng.supervision.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static gov.yuancheng.supervision.e2e.Stack.GATEWAY;
import static gov.yuancheng.supervision.e2e.Stack.get;
import static gov.yuancheng.supervision.e2e.Stack.post;
import static gov.yuancheng.supervision.e2e.Stack.read;
import static gov.yuancheng.supervision.e2e.Stack.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What inspectors and units get from the running stack, through the gateway with real Keycloak tokens: every
 * action on a task appears in the audit timeline within a second; the task's evidence bundle passes the offline
 * verifier, and a byte changed in the store is named by its record; an urge reaches the unit's inbox, its live
 * stream and its members' mailboxes (found through Keycloak's admin API) in the stack's mail sink.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvidenceAndNoticesIT {

    static final String TITLE = "建设源城区智慧督查平台";
    static final Duration VISIBLE_WITHIN = Duration.ofSeconds(1);
    static final Path VERIFIER = Path.of(System.getProperty("audit.verifier.jar",
            "../audit-verifier/target/audit-verifier-0.1.0-SNAPSHOT-all.jar")).toAbsolutePath();

    static final Stack stack = new Stack();
    static final LocalDate DEADLINE = LocalDate.now().plusMonths(4);
    static String taskId;
    static String leadAssignment;

    @TempDir
    static Path files;

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
    void theLauncherStartsTheMailSinkAndPrintsItsAddresses() {
        assertThat(stack.output()).anyMatch(line -> line.matches("\\s*\\[\\s*[0-9.]+ s] mail\\s+ready \\(pid \\d+\\)"));
        assertThat(stack.output()).anyMatch(line -> line.contains("smtp://127.0.0.1:" + Stack.SMTP)
                && line.contains("imap://127.0.0.1:" + Stack.IMAP));
    }

    @Test
    @Order(2)
    void everyActionOnATaskIsInItsAuditTimelineWithinASecond() throws Exception {
        String office = token("dcs-zhang");
        String fgj = token("fgj-li");
        String yuannan = token("yuannan-wang");
        String inspector = token("jw-zhao");
        Map<String, Duration> lags = new LinkedHashMap<>();

        var created = post(GATEWAY, "/api/tasks", office, """
                {"title":"%s","description":"督查事项网上交办、签收、反馈全程留痕","category":"urban-economy",
                 "leadUnit":"dept-fgj","coUnits":["town-yuannan"],"deadline":"%s","responsibleLeader":"leader-liu"}
                """.formatted(TITLE, DEADLINE));
        long answered = System.nanoTime();
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        taskId = read(created).get("id").asString();
        lags.put("register and assign (立项交办)", firstSeen(inspector, answered,
                t -> count(t, "registered") == 1 && count(t, "assigned") == 2));

        JsonNode task = read(get(GATEWAY, "/api/tasks/" + taskId, office));
        leadAssignment = assignment(task, "dept-fgj");

        answered = ok(post(GATEWAY, "/api/tasks/" + taskId + "/acknowledge", fgj, ""));
        lags.put("acknowledge by dept-fgj (签收)", firstSeen(inspector, answered, t -> count(t, "acknowledged") == 1));

        answered = ok(post(GATEWAY, "/api/tasks/" + taskId + "/reports", fgj,
                "{\"text\":\"平台需求已论证，完成招标准备\",\"percent\":60}"));
        lags.put("progress report by dept-fgj (进度反馈)", firstSeen(inspector, answered,
                t -> count(t, "progress-reported") == 1));

        answered = ok(post(GATEWAY, "/api/tasks/" + taskId + "/acknowledge", yuannan, ""));
        lags.put("acknowledge by town-yuannan (签收)", firstSeen(inspector, answered, t -> count(t, "acknowledged") == 2));

        lags.forEach((action, lag) -> System.out.printf("audit lag, %s: %d ms%n", action, lag.toMillis()));
        assertThat(lags).allSatisfy((action, lag) -> assertThat(lag).as(action).isLessThan(VISIBLE_WITHIN));

        List<JsonNode> timeline = timeline(inspector);
        assertThat(timeline).extracting(r -> r.get("type").asString().replace("gov.supervision.task.", ""))
                .containsExactly("registered.v1", "assigned.v1", "assigned.v1", "acknowledged.v1",
                        "progress-reported.v1", "acknowledged.v1");
        assertThat(timeline).extracting(r -> r.get("actor").get("unit").asString())
                .containsExactly("office-dcs", "office-dcs", "office-dcs", "dept-fgj", "dept-fgj", "town-yuannan");
        assertThat(timeline.get(3).get("actor").get("name").asString()).isEqualTo("李 华");
        for (int i = 1; i < timeline.size(); i++) {
            assertThat(timeline.get(i).get("seq").asLong()).isGreaterThan(timeline.get(i - 1).get("seq").asLong());
        }
    }

    @Test
    @Order(3)
    void theTasksEvidenceBundlePassesTheOfflineVerifier() throws Exception {
        Path key = publicKey();
        Path bundle = bundle("evidence.json");

        Verification result = verify(key, bundle);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("VERIFIED").containsPattern("records: ([6-9]|\\d\\d+)");
    }

    @Test
    @Order(4)
    void aByteChangedInTheStoreIsNamedByItsRecordAndTheBundleFailsVerification() throws Exception {
        Path key = publicKey();
        try (MongoClient mongo = MongoClients.create("mongodb://127.0.0.1:" + Stack.MONGO)) {
            MongoCollection<Document> log = mongo.getDatabase("supervision_audit").getCollection("audit_log");
            Document report = log.find(Filters.and(Filters.eq("subject", taskId),
                    Filters.eq("type", "gov.supervision.task.progress-reported.v1"))).first();
            assertThat(report).as("the progress report's audit record").isNotNull();
            Object seq = report.get("_id");
            String leaf = report.getString("leaf");
            String changed = leaf.replaceFirst("\"percent\":60", "\"percent\":70");
            byte[] before = leaf.getBytes(StandardCharsets.UTF_8);
            byte[] after = changed.getBytes(StandardCharsets.UTF_8);
            assertThat(after).hasSameSizeAs(before);
            int differing = 0;
            for (int i = 0; i < before.length; i++) {
                differing += before[i] == after[i] ? 0 : 1;
            }
            assertThat(differing).as("bytes changed in the leaf").isEqualTo(1);

            log.updateOne(Filters.eq("_id", seq), Updates.set("leaf", changed));
            try {
                Verification tampered = verify(key, bundle("tampered.json"));

                assertThat(tampered.exit()).as(tampered.output()).isEqualTo(1);
                assertThat(tampered.output()).contains("NOT VERIFIED")
                        .contains("the first bad record is record " + seq + System.lineSeparator());
            }
            finally {
                log.updateOne(Filters.eq("_id", seq), Updates.set("leaf", leaf));
            }
            Verification restored = verify(key, bundle("restored.json"));
            assertThat(restored.exit()).as(restored.output()).isZero();
        }
    }

    @Test
    @Order(5)
    void anUrgeReachesTheUnitsInboxLiveStreamAndMailbox() throws Exception {
        String fgj = token("fgj-li");
        await().atMost(Duration.ofSeconds(30)).until(() -> notices(fgj).stream()
                .anyMatch(n -> taskId.equals(n.path("taskId").asString(null))));
        long unreadBefore = unread(fgj);

        try (Sse stream = Sse.open(GATEWAY, "/api/notifications/stream", fgj)) {
            stream.awaitEvent("ready", data -> true, Duration.ofSeconds(10));

            String message = "请于本周内报送平台招标进展";
            long urged = ok(post(GATEWAY, "/api/tasks/" + taskId + "/assignments/" + leadAssignment + "/urge",
                    token("dcs-zhang"), "{\"message\":\"" + message + "\"}"));

            JsonNode pushed = stream.awaitEvent("notification",
                    data -> "URGE".equals(data.path("kind").asString()) && taskId.equals(data.path("taskId").asString()),
                    Duration.ofSeconds(15));
            System.out.printf("urge, answered to pushed through the gateway: %d ms%n",
                    (System.nanoTime() - urged) / 1_000_000);
            assertThat(pushed.get("title").asString()).contains("催办").contains(TITLE);

            JsonNode notice = notices(fgj).stream()
                    .filter(n -> "URGE".equals(n.path("kind").asString()) && taskId.equals(n.path("taskId").asString()))
                    .findFirst().orElseThrow(() -> new AssertionError("no urge notice in dept-fgj's inbox"));
            assertThat(notice.get("id").asString()).isEqualTo(pushed.get("noticeId").asString());
            assertThat(notice.get("body").asString()).contains(message);
            assertThat(unread(fgj)).isEqualTo(unreadBefore + 1);
            assertThat(notices(token("yuannan-wang"))).noneMatch(n -> "URGE".equals(n.path("kind").asString()));

            var read = Stack.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + GATEWAY
                    + "/api/notifications/" + notice.get("id").asString() + "/read"))
                    .header("Authorization", "Bearer " + fgj).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).as(read.body()).isEqualTo(204);
            assertThat(unread(fgj)).isEqualTo(unreadBefore);
        }

        Message mail = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> mailTo("fgj-li@yuancheng.example", "【催办】" + TITLE), m -> m != null);
        assertThat(mail.getSubject()).isEqualTo("【催办】" + TITLE);
        InternetAddress from = (InternetAddress) mail.getFrom()[0];
        assertThat(from.getPersonal()).isEqualTo("督查督办系统");
        assertThat(mail.getContent().toString()).contains("请于本周内报送平台招标进展");
    }

    @Test
    @Order(6)
    void anExtensionDecisionReachesTheUnitsInboxAndMailbox() throws Exception {
        String fgj = token("fgj-li");
        LocalDate proposed = DEADLINE.plusDays(30);
        JsonNode requested = read(assertOk(post(GATEWAY, "/api/tasks/" + taskId + "/extension-requests", fgj,
                "{\"reason\":\"招标流程延长，需顺延一个月\",\"proposedDeadline\":\"" + proposed + "\"}")));
        JsonNode lead = null;
        for (JsonNode a : requested.get("assignments")) {
            lead = a.get("id").asString().equals(leadAssignment) ? a : lead;
        }
        assertThat(lead).as("dept-fgj's assignment in the answer").isNotNull();
        String requestId = lead.get("extensionRequests").get(0).get("id").asString();

        assertOk(post(GATEWAY, "/api/tasks/" + taskId + "/assignments/" + leadAssignment + "/extension-requests/"
                + requestId + "/decision", token("dcs-zhang"), "{\"approved\":true,\"reason\":\"同意顺延\"}"));

        String newDeadline = proposed.getYear() + "年" + proposed.getMonthValue() + "月" + proposed.getDayOfMonth() + "日";
        JsonNode notice = await().atMost(Duration.ofSeconds(30)).until(() -> notices(fgj).stream()
                .filter(n -> "EXTENSION_APPROVED".equals(n.path("kind").asString())
                        && taskId.equals(n.path("taskId").asString()))
                .findFirst().orElse(null), n -> n != null);
        assertThat(notice.get("title").asString()).isEqualTo("【延期已批准】" + TITLE);
        assertThat(notice.get("body").asString()).contains("延至 " + newDeadline).contains("审批意见：同意顺延");
        assertThat(notices(token("yuannan-wang"))).noneMatch(n -> n.path("kind").asString().startsWith("EXTENSION_"));

        Message mail = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> mailTo("fgj-li@yuancheng.example", "【延期已批准】" + TITLE), m -> m != null);
        assertThat(mail.getContent().toString()).contains("延至 " + newDeadline);
    }

    // ---- helpers

    private static HttpResponse<String> assertOk(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    /** Polls the timeline until it shows what the action caused; the time from the action's answer to then. */
    private static Duration firstSeen(String inspector, long answered, Predicate<List<JsonNode>> shows)
            throws Exception {
        long deadline = answered + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (shows.test(timeline(inspector))) {
                return Duration.ofNanos(System.nanoTime() - answered);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not in the audit timeline after 20 s: " + timeline(inspector));
    }

    private static List<JsonNode> timeline(String inspector) throws Exception {
        var response = get(GATEWAY, "/api/audit/tasks/" + taskId + "/timeline", inspector);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> records = new ArrayList<>();
        read(response).forEach(records::add);
        return records;
    }

    private static long count(List<JsonNode> timeline, String action) {
        return timeline.stream().filter(r -> r.get("type").asString().equals("gov.supervision.task." + action + ".v1"))
                .count();
    }

    /** Asserts 200 and answers the instant (System.nanoTime) the answer came. */
    private static long ok(HttpResponse<String> response) {
        long at = System.nanoTime();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return at;
    }

    private static String assignment(JsonNode task, String unit) {
        for (JsonNode a : task.get("assignments")) {
            if (a.get("unit").asString().equals(unit)) {
                return a.get("id").asString();
            }
        }
        throw new AssertionError("no assignment of " + unit);
    }

    private static Path publicKey() throws Exception {
        var response = get(GATEWAY, "/api/audit/public-key", token("jw-zhao"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Files.writeString(files.resolve("audit.vkey"), response.body());
    }

    private static Path bundle(String name) throws Exception {
        var response = Stack.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + GATEWAY
                + "/api/audit/export?task=" + taskId)).header("Authorization", "Bearer " + token("jw-zhao")).GET()
                .build(), HttpResponse.BodyHandlers.ofFile(files.resolve(name)));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    record Verification(int exit, String output) {
    }

    /** The offline verifier as an inspector runs it: its own process, the key and the bundle as files. */
    private static Verification verify(Path key, Path bundle) throws Exception {
        assertThat(VERIFIER).as("the audit-verifier jar (built by the reactor)").exists();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", VERIFIER.toString(), "--key", key.toString(), bundle.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.println("[verifier] " + output.replace("\n", "\n[verifier] "));
        return new Verification(process.exitValue(), output);
    }

    private static List<JsonNode> notices(String token) throws Exception {
        var response = get(GATEWAY, "/api/notifications?size=200", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> notices = new ArrayList<>();
        read(response).get("content").forEach(notices::add);
        return notices;
    }

    private static long unread(String token) throws Exception {
        var response = get(GATEWAY, "/api/notifications/unread-count", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return read(response).get("unread").asLong();
    }

    /** The newest message with this subject in the mailbox of {@code address} in the stack's mail sink, or null. */
    private static Message mailTo(String address, String subject) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.imap.connectiontimeout", "3000");
        properties.put("mail.imap.timeout", "5000");
        Store store = Session.getInstance(properties).getStore("imap");
        store.connect("127.0.0.1", Stack.IMAP, address, "any password");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message found = null;
            for (Message message : inbox.getMessages()) {
                if (subject.equals(message.getSubject())) {
                    found = new jakarta.mail.internet.MimeMessage((jakarta.mail.internet.MimeMessage) message);
                }
            }
            inbox.close(false);
            return found;
        }
        finally {
            store.close();
        }
    }

    /** A server-sent event stream read line by line as it arrives, the way a browser's EventSource reads it. */
    static final class Sse implements AutoCloseable {

        record Event(String name, String data) {
        }

        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;
        private Thread reader;

        private Sse(CompletableFuture<HttpResponse<Stream<String>>> response) {
            this.response = response;
        }

        static Sse open(int port, String path, String token) throws Exception {
            Sse sse = new Sse(Stack.http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofLines()));
            HttpResponse<Stream<String>> answer = sse.response.get(10, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            sse.reader = new Thread(() -> {
                String name = "message";
                StringBuilder data = new StringBuilder();
                try (Stream<String> lines = answer.body()) {
                    for (var it = lines.iterator(); it.hasNext();) {
                        String line = it.next();
                        if (line.isEmpty()) {
                            if (!data.isEmpty()) {
                                sse.events.add(new Event(name, data.toString()));
                            }
                            name = "message";
                            data.setLength(0);
                        }
                        else if (line.startsWith("event:")) {
                            name = line.substring(6).strip();
                        }
                        else if (line.startsWith("data:")) {
                            data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
                        }
                    }
                }
                catch (RuntimeException closed) {
                    // the stream was closed by the test
                }
            }, "sse-reader");
            sse.reader.setDaemon(true);
            sse.reader.start();
            return sse;
        }

        /** Waits for an event of this name whose JSON data matches; the events before it are passed over. */
        JsonNode awaitEvent(String name, Predicate<JsonNode> matches, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<Event> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                Event event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == null) {
                    break;
                }
                seen.add(event);
                if (event.name().equals(name)) {
                    JsonNode data = Stack.json.readTree(event.data());
                    if (matches.test(data)) {
                        return data;
                    }
                }
            }
            throw new AssertionError("no '" + name + "' event within " + timeout + "; seen: " + seen);
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            if (reader != null) {
                reader.interrupt();
            }
        }
    }
}
