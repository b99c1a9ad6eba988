package gov.yuancheng.supervision.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.mongodb.client.MongoClients;
import com.mongodb.client.model.InsertManyOptions;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives task-service with a realistic mix (register, acknowledge, report, search, read, request
 * completion, review) from concurrent clerks and prints operations per second and p50/p99 latency
 * per operation; then loads the store to a given number of tasks and measures search latency; and
 * measures the store's own raw insert rate in the same run, to compare against.
 *
 * <p>Arguments: taskServiceUrl keycloakUrl mongoUri seconds threads searchTasks
 */
public final class TaskServiceLoad {

    static final JsonMapper json = JsonMapper.builder().build();
    /**
     * The client finishes each exchange on its own selector thread instead of handing it to a pool thread and back:
     * the hand-offs were a sixth of the load generator's CPU, which shares the machine with the stack it measures.
     */
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Runnable::run).connectTimeout(Duration.ofSeconds(5)).build();
    static final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
    static final AtomicLong errors = new AtomicLong();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String keycloak = args[1];
        String mongoUri = args[2];
        int seconds = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        int searchTasks = Integer.parseInt(args[5]);

        Tokens tokens = new Tokens(keycloak); // fetched again before they expire: a long warm-up outlives one
        Clerks clerks = new Clerks(base, tokens);

        // The services' JIT compilers were still busy after 150 s of this load on two cores (a sixth to a quarter of
        // task-service's CPU); after 360 s they are all but done, as on a server that has run for a while.
        int warmUp = Integer.parseInt(System.getenv().getOrDefault("WARM_UP_SECONDS", "360"));
        System.out.printf("Mixed load: %d clerks for %d s against %s, after %d s of the same load not counted%n",
                threads, seconds, base, warmUp);
        for (int i = 0; i < 20; i++) {
            clerks.lifecycle(); // the first tasks, not counted
        }
        mixedLoad(clerks, threads, warmUp);
        latencies.clear();
        errors.set(0);
        Map<String, Long> processes = stackProcesses();
        Map<String, Duration> cpuBefore = cpu(processes);
        long start = System.nanoTime();
        long operations = mixedLoad(clerks, threads, seconds);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Duration> cpuAfter = cpu(processes);
        System.out.printf("  %,d operations in %.1f s: %.0f operations/s, %d errors%n", operations, elapsed,
                operations / elapsed, errors.get());
        Histogram all = new Histogram(3);
        new TreeMap<>(latencies).forEach((op, h) -> {
            all.add(h);
            print(op, h);
        });
        print("all", all);

        System.out.print("  CPU per operation:");
        double total = 0;
        for (String name : processes.keySet()) {
            double ms = (cpuAfter.get(name).toNanos() - cpuBefore.get(name).toNanos()) / 1e6 / operations;
            total += ms;
            System.out.printf(" %s %.2f ms,", name, ms);
        }
        System.out.printf(" all %.2f ms (%.2f ms of the two cores' time per operation)%n", total,
                2 * elapsed * 1000 / operations);

        outboxBacklog(mongoUri);

        long rawPerSecond = rawInsertRate(mongoUri);
        System.out.printf("  the store's own raw rate, same run: %,d single inserts/s%n", rawPerSecond);

        if (searchTasks > 0) {
            searches(base, keycloak, mongoUri, searchTasks);
        }
    }

    /** Clerks doing their day's lifecycle over and over for a time; answers the operations done. */
    static long mixedLoad(Clerks clerks, int threads, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong operations = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        operations.addAndGet(clerks.lifecycle());
                    }
                    catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 120L, java.util.concurrent.TimeUnit.SECONDS);
        return operations.get();
    }

    /**
     * The stack's processes by name, found by the ports the benchmark scripts give them (their environment), and
     * this load generator itself.
     */
    static Map<String, Long> stackProcesses() throws Exception {
        Map<String, Long> processes = new java.util.LinkedHashMap<>();
        Map<String, String> env = System.getenv();
        for (String[] named : new String[][] {{"task-service", "TASK_SERVICE_PORT"}, {"store", "MONGO_PORT"},
                {"kafka", "KAFKA_PORT"}, {"notify-service", "NOTIFY_SERVICE_PORT"},
                {"audit-service", "AUDIT_SERVICE_PORT"}, {"gateway", "GATEWAY_PORT"}, {"keycloak", "KEYCLOAK_PORT"}}) {
            String port = env.get(named[1]);
            long pid = port == null ? -1 : Procs.listening(Integer.parseInt(port));
            if (pid > 0) {
                processes.put(named[0], pid);
            }
        }
        processes.put("load generator", ProcessHandle.current().pid());
        return processes;
    }

    static Map<String, Duration> cpu(Map<String, Long> processes) {
        Map<String, Duration> cpu = new java.util.HashMap<>();
        processes.forEach((name, pid) -> cpu.put(name, ProcessHandle.of(pid)
                .flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO)));
        return cpu;
    }

    /** The office's clerk and a unit's, with their tokens. */
    record Clerks(String base, Tokens tokens) {

        /** One pass of a clerk's day: 7 operations. */
        int lifecycle() throws Exception {
            String office = tokens.get("dcs-zhang");
            String unit = tokens.get("fgj-li");
            JsonNode task = call("register", "POST", base + "/api/tasks", office, """
                    {"title":"负载测试事项 %s","category":"urban-economy","leadUnit":"dept-fgj","deadline":"%s",
                     "reportingCycle":{"kind":"MONTHLY","dueDay":25}}""".formatted(UUID.randomUUID(),
                    LocalDate.now().plusMonths(6)));
            String id = task.get("id").asString();
            String lead = task.get("assignments").get(0).get("id").asString();
            call("acknowledge", "POST", base + "/api/tasks/" + id + "/acknowledge", unit, "");
            call("report", "POST", base + "/api/tasks/" + id + "/reports", unit,
                    "{\"text\":\"按计划推进\",\"percent\":50}");
            call("search", "GET", base + "/api/tasks?category=urban-economy&size=20", office, null);
            call("read", "GET", base + "/api/tasks/" + id, unit, null);
            call("request-completion", "POST", base + "/api/tasks/" + id + "/completion-request", unit,
                    "{\"summary\":\"已完成\"}");
            call("review", "POST", base + "/api/tasks/" + id + "/assignments/" + lead + "/review", office,
                    "{\"approved\":true}");
            return 7;
        }
    }

    static JsonNode call(String op, String method, String url, String token, String body) throws Exception {
        return call(op, method, url, token, body, Duration.ofSeconds(30));
    }

    static JsonNode call(String op, String method, String url, String token, String body, Duration timeout)
            throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = send(method, url, token, body, Map.of(), timeout);
        latencies.computeIfAbsent(op, k -> new ConcurrentHistogram(3))
                .recordValue((System.nanoTime() - started) / 1000);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(op + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    /**
     * One API call with a bearer token: a JSON body for POST and PUT, extra headers (Idempotency-Key,
     * If-Match...), a time limit for the whole exchange.
     */
    static HttpResponse<String> send(String method, String url, String token, String body, Map<String, String> headers,
            Duration timeout) throws java.io.IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").timeout(timeout);
        headers.forEach(request::header);
        if (method.equals("POST") || method.equals("PUT")) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        }
        else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void print(String op, Histogram h) {
        System.out.printf("  %-20s n=%7d  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n", op, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    /**
     * How far task-service's outbox relay is behind when the load stops (tasks whose events wait in their outbox), and
     * how long it takes to publish them all: work the operations' figures do not show.
     */
    static void outboxBacklog(String mongoUri) throws InterruptedException {
        try (var client = MongoClients.create(mongoUri)) {
            var tasks = client.getDatabase("supervision_task").getCollection("tasks");
            Document waiting = new Document("outbox.0", new Document("$exists", true));
            long start = System.nanoTime();
            long atStop = tasks.countDocuments(waiting);
            long left = atStop;
            while (left > 0 && System.nanoTime() - start < Duration.ofMinutes(5).toNanos()) {
                Thread.sleep(200);
                left = tasks.countDocuments(waiting);
            }
            System.out.printf("  the outbox relay: %,d tasks with events waiting when the load stopped, %s%n", atStop,
                    left == 0 ? "all published %.1f s later".formatted((System.nanoTime() - start) / 1e9)
                            : "%,d still waiting after 5 minutes".formatted(left));
        }
    }

    /** Single inserts into a scratch database of the same store: the ceiling the service works under. */
    static long rawInsertRate(String mongoUri) {
        try (var client = MongoClients.create(mongoUri)) {
            var scratch = client.getDatabase("bench_scratch").getCollection("raw");
            scratch.drop();
            int n = 2000;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                scratch.insertOne(new Document("_id", i).append("title", "负载测试").append("n", i));
            }
            long rate = (long) (n / ((System.nanoTime() - start) / 1e9));
            scratch.drop();
            return rate;
        }
    }

    /**
     * Fills the tasks collection to {@code total} documents with copies of a task registered through the API (fresh
     * ids, spread over units, categories and deadlines, nothing left to publish); answers the seconds it took.
     */
    static double fill(String mongoUri, long total) {
        return fill(mongoUri, total, null);
    }

    /** The same, with copies of the given task (or, when null, of any whose events are published). */
    static double fill(String mongoUri, long total, String templateId) {
        try (var client = MongoClients.create(mongoUri)) {
            var tasks = client.getDatabase("supervision_task").getCollection("tasks");
            long present = tasks.countDocuments();
            Document template = tasks.find(templateId != null ? new Document("_id", templateId)
                    : new Document("outbox", new Document("$size", 0))).first();
            if (template == null) {
                template = tasks.find().first();
            }
            String[] units = {"dept-gxj", "dept-nyj", "dept-jyj", "dept-wjj", "dept-zjj", "dept-swj", "town-puqian",
                "town-shangcheng"};
            String[] categories = {"urban-economy", "reform-opening", "livelihood", "city-quality",
                "rural-revitalization", "party-building"};
            long start = System.nanoTime();
            List<Document> batch = new ArrayList<>();
            for (long i = present; i < total; i++) {
                Document copy = Document.parse(template.toJson());
                copy.put("_id", UUID.randomUUID().toString());
                String title = "存量事项 " + i;
                copy.put("title", title);
                copy.put("titleGrams", titleGrams(title));
                copy.put("category", categories[(int) (i % categories.length)]);
                copy.put("leadUnit", units[(int) (i % units.length)]);
                copy.remove("creationKey");
                copy.put("outbox", List.of());
                for (Document a : copy.getList("assignments", Document.class)) {
                    a.put("unit", units[(int) ((i + 1) % units.length)]);
                }
                batch.add(copy);
                if (batch.size() == 1000) {
                    tasks.insertMany(batch, new InsertManyOptions().ordered(false));
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                tasks.insertMany(batch);
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** The pairs of adjacent characters of a title, which task-service stores with each task for its text search. */
    private static List<String> titleGrams(String title) {
        int[] points = title.codePoints().toArray();
        return java.util.stream.IntStream.range(0, Math.max(0, points.length - 1))
                .mapToObj(i -> new String(points, i, 2)).distinct().toList();
    }

    static void searches(String base, String keycloak, String mongoUri, int total) throws Exception {
        System.out.printf("Search over %,d tasks (loaded in %.1f s):%n", total, fill(mongoUri, total));
        // Loading takes minutes: fresh tokens, the first ones may have expired.
        String office = token(keycloak, "dcs-zhang");
        String unit = token(keycloak, "fgj-li");
        latencies.clear();
        String q = URLEncoder.encode("存量事项 9999", StandardCharsets.UTF_8);
        for (int i = 0; i < 30; i++) {
            call("search-by-category", "GET", base + "/api/tasks?category=livelihood&size=20", office, null);
            call("search-by-unit(unit)", "GET", base + "/api/tasks?size=20", unit, null);
            call("search-by-light", "GET", base + "/api/tasks?light=GREEN&size=20&sort=deadline", office, null);
            call("search-text", "GET", base + "/api/tasks?q=" + q + "&size=20", office, null);
        }
        new TreeMap<>(latencies).forEach(TaskServiceLoad::print);
    }

    static String token(String keycloak, String user) throws Exception {
        String form = Map.of("grant_type", "password", "client_id", "supervision-cli", "username", user, "password",
                "Demo@2026").entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        var response = http.send(HttpRequest.newBuilder(URI.create(keycloak
                + "/realms/supervision/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode token = json.readTree(response.body()).get("access_token");
        if (token == null) {
            throw new IllegalStateException("Keycloak gave no token to " + user + ": " + response.statusCode() + " "
                    + response.body());
        }
        return token.asString();
    }

    private TaskServiceLoad() {
    }
}
