package gov.yuancheng.supervision.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import tools.jackson.databind.JsonNode;

/**
 * Clerks changing tasks as fast as they can, as a well-behaved client does: each change carries an
 * Idempotency-Key and is sent again with the same key while the answer is missing, 429 or 5xx (for up to two
 * minutes). Per task: register (立项交办), acknowledge, urge, report, urge, report. Every 2xx goes to the
 * {@link Ledger}; every answer is counted by status.
 */
final class ChangeLoad {

    static final String OFFICE = "dcs-zhang";
    static final String UNIT = "fgj-li";

    private final String base;
    private final Tokens tokens;
    private final Ledger ledger;
    private final long limit;
    private final List<Thread> clerks = new ArrayList<>();
    private volatile boolean running = true;
    final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    final Map<String, String> firstBodies = new ConcurrentHashMap<>();
    final AtomicLong givenUp = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();

    ChangeLoad(String base, Tokens tokens, Ledger ledger, long limit) {
        this.base = base;
        this.tokens = tokens;
        this.ledger = ledger;
        this.limit = limit;
    }

    ChangeLoad start(int count) {
        for (int i = 0; i < count; i++) {
            Thread clerk = new Thread(this::work, "clerk-" + i);
            clerk.setDaemon(true);
            clerks.add(clerk);
            clerk.start();
        }
        return this;
    }

    /** Stops the clerks after the change each is making; waits for them. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread clerk : clerks) {
            clerk.join(180_000);
        }
    }

    /** Waits until the clerks have stopped by themselves (the limit reached). */
    void await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread clerk : clerks) {
            clerk.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        stop();
    }

    private boolean go() {
        return running && ledger.changes.get() < limit;
    }

    private void work() {
        while (go()) {
            try {
                HttpResponse<String> registered = change(null, "registered", base + "/api/tasks", OFFICE, """
                        {"title":"故障演练事项 %s","category":"urban-economy","leadUnit":"dept-fgj","deadline":"%s"}"""
                        .formatted(UUID.randomUUID(), LocalDate.now().plusMonths(6)));
                if (registered == null) {
                    continue;
                }
                JsonNode task = TaskServiceLoad.json.readTree(registered.body());
                String id = task.path("id").asString(null);
                String lead = task.path("assignments").path(0).path("id").asString(null);
                if (id == null || lead == null) { // a 2xx without the task: say what came
                    count("answer without the task", registered.statusCode() + " "
                            + registered.headers().firstValue("Content-Type").orElse("") + " " + registered.body());
                    continue;
                }
                ledger.accepted(id, "registered", "assigned");
                String url = base + "/api/tasks/" + id;
                String urge = url + "/assignments/" + lead + "/urge";
                String[][] steps = {
                    {"acknowledged", url + "/acknowledge", UNIT, ""},
                    {"urged", urge, OFFICE, "{\"message\":\"请加快推进\"}"},
                    {"progress-reported", url + "/reports", UNIT, "{\"text\":\"按计划推进\",\"percent\":40}"},
                    {"urged", urge, OFFICE, "{\"message\":\"请于本周内报送进展\"}"},
                    {"progress-reported", url + "/reports", UNIT, "{\"text\":\"已完成主体工作\",\"percent\":80}"},
                };
                for (String[] step : steps) {
                    if (!go() || change(id, step[0], step[1], step[2], step[3]) == null) {
                        break;
                    }
                }
            }
            catch (InterruptedException e) {
                return;
            }
            catch (Exception e) {
                count("client error " + e.getClass().getSimpleName(), e.getMessage());
            }
        }
    }

    /**
     * One change, sent until it is answered (2xx: accepted, recorded; another 4xx: refused, null) or two minutes
     * have gone (null; the change is uncertain).
     */
    private HttpResponse<String> change(String task, String type, String url, String user, String body)
            throws Exception {
        Map<String, String> headers = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response;
            try {
                response = TaskServiceLoad.send("POST", url, tokens.get(user), body, headers, Duration.ofSeconds(30));
            }
            catch (IOException e) {
                count("no answer (" + e.getClass().getSimpleName() + ")", String.valueOf(e.getMessage()));
                Thread.sleep(500);
                continue;
            }
            int status = response.statusCode();
            count(String.valueOf(status), response.body());
            if (status / 100 == 2) {
                if (task != null) {
                    ledger.accepted(task, type);
                }
                return response;
            }
            if (status == 401) {
                try {
                    tokens.fresh(user);
                }
                catch (Exception e) {
                    count("client error: no new token", String.valueOf(e.getMessage()));
                    Thread.sleep(500);
                }
            }
            else if (status == 429 || status >= 500) {
                Thread.sleep(500);
            }
            else {
                rejected.incrementAndGet();
                return null;
            }
        }
        givenUp.incrementAndGet();
        if (task != null) {
            ledger.uncertain(task, type);
        }
        return null;
    }

    private void count(String status, String body) {
        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
        if (!status.startsWith("2")) {
            firstBodies.putIfAbsent(status, body == null ? "" : body.length() > 300 ? body.substring(0, 300) : body);
        }
    }
}
