package gov.yuancheng.supervision.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoClients;
import org.HdrHistogram.Histogram;
import org.bson.Document;
import tools.jackson.databind.JsonNode;

/**
 * task-service as the stored tasks grow: at each size (by default 10,000, 30,000, 100,000 and 300,000 open tasks) it
 * times searches (the office by category, by light, by text; a unit for its own tasks), the statistics over all tasks
 * (by unit and by category) and registering a task, and prints each operation's p50/p99 and its cost per 1,000 tasks
 * stored, with the resident memory of the store and the service.
 *
 * <p>Arguments: taskServiceUrl keycloakUrl mongoUri storePort servicePort [sizes, comma-separated]
 */
public final class ScaleRun {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String keycloak = args[1];
        String mongoUri = args[2];
        int storePort = Integer.parseInt(args[3]);
        int servicePort = Integer.parseInt(args[4]);
        long[] sizes = Arrays.stream((args.length > 5 ? args[5] : "10000,30000,100000,300000").split(","))
                .mapToLong(Long::parseLong).toArray();

        JsonNode template = TaskServiceLoad.call("register", "POST", base + "/api/tasks",
                TaskServiceLoad.token(keycloak, "dcs-zhang"), """
                {"title":"规模测试模板事项","category":"urban-economy","leadUnit":"dept-gxj","coUnits":["town-puqian"],
                 "deadline":"%s","reportingCycle":{"kind":"MONTHLY","dueDay":25}}""".formatted(LocalDate.now().plusMonths(8)));
        String templateId = template.get("id").asString();
        awaitPublished(mongoUri, templateId);

        System.out.println("| open tasks | operation | n | refused | p50 ms | p99 ms | p50 per 1,000 tasks |");
        System.out.println("|---|---|---|---|---|---|---|");
        List<String> memory = new ArrayList<>();
        for (long size : sizes) {
            double loaded = TaskServiceLoad.fill(mongoUri, size, templateId);
            System.err.printf("filled to %,d tasks in %.0f s%n", size, loaded);
            String office = TaskServiceLoad.token(keycloak, "dcs-zhang");
            String unit = TaskServiceLoad.token(keycloak, "gxj-chen");
            int reps = ROUNDS;
            Map<String, Histogram> times = new LinkedHashMap<>();
            String text = URLEncoder.encode("存量事项 " + (size - 7), StandardCharsets.UTF_8);
            String year = LocalDate.now().getYear() + "";
            for (int i = -WARM_UP_ROUNDS; i < reps; i++) {
                if (i == 0) {
                    times.clear(); // the first rounds only warm up
                }
                time(times, "search by category (office)", () -> TaskServiceLoad.call("s", "GET",
                        base + "/api/tasks?category=livelihood&size=20", office, null));
                time(times, "search by light, by deadline (office)", () -> TaskServiceLoad.call("s", "GET",
                        base + "/api/tasks?light=GREEN&size=20&sort=deadline", office, null));
                time(times, "search by title text (office)", () -> TaskServiceLoad.call("s", "GET",
                        base + "/api/tasks?q=" + text + "&size=20", office, null));
                time(times, "own tasks (a unit)", () -> TaskServiceLoad.call("s", "GET",
                        base + "/api/tasks?size=20", unit, null));
                time(times, "register a task", () -> TaskServiceLoad.call("s", "POST", base + "/api/tasks", office, """
                        {"title":"规模测试 %s","category":"livelihood","leadUnit":"dept-gxj","deadline":"%s"}"""
                        .formatted(UUID.randomUUID(), LocalDate.now().plusMonths(6))));
            }
            for (int i = 0; i < (size >= 100_000 ? 2 : 3); i++) {
                time(times, "statistics by unit, whole year", () -> statistics(base, office, "UNIT", year));
                time(times, "statistics by category, whole year", () -> statistics(base, office, "CATEGORY", year));
            }
            times.forEach((op, h) -> System.out.printf("| %,d | %s | %d | %d | %.1f | %.1f | %.2f ms |%n", size, op,
                    h.getTotalCount(), failures.getOrDefault(op, 0), h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(50) / 1000.0 / (size / 1000.0)));
            failures.forEach((op, n) -> {
                if (!times.containsKey(op)) {
                    System.out.printf("| %,d | %s | 0 | %d | | | |%n", size, op, n);
                }
            });
            failures.clear();
            memory.add("| %,d | %,d MiB | %,d MiB |".formatted(size, rssMiB(storePort), rssMiB(servicePort)));
        }
        System.out.println();
        System.out.println("| open tasks | store resident memory | task-service resident memory |");
        System.out.println("|---|---|---|");
        memory.forEach(System.out::println);
    }

    /** The statistics of a year, waiting up to three minutes: over all tasks they take long. */
    static void statistics(String base, String token, String by, String year) throws Exception {
        TaskServiceLoad.call("statistics", "GET", base + "/api/statistics?by=" + by + "&from=" + year + "-01-01&to="
                + year + "-12-31", token, null, Duration.ofMinutes(3));
    }

    interface Call {
        void run() throws Exception;
    }

    /** Times one call; a refused one (the service answers 503 when the store takes longer than it waits) is counted. */
    static void time(Map<String, Histogram> times, String op, Call call) {
        long start = System.nanoTime();
        try {
            call.run();
            times.computeIfAbsent(op, k -> new Histogram(3)).recordValue((System.nanoTime() - start) / 1000);
        }
        catch (Exception e) {
            failures.merge(op, 1, Integer::sum);
            System.err.printf("%s failed after %.1f s: %s%n", op, (System.nanoTime() - start) / 1e9, e.getMessage());
        }
    }

    static final Map<String, Integer> failures = new LinkedHashMap<>();

    /**
     * Rounds of searches timed at each size ({@code SCALE_ROUNDS}): a p99 needs a hundred samples to be more than the
     * slowest of them. The rounds before them warm the service and the store up, as a day's searches would.
     */
    static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("SCALE_ROUNDS", "100"));
    static final int WARM_UP_ROUNDS = 10;

    /** Waits until the template's events are out, so that its copies carry none. */
    static void awaitPublished(String mongoUri, String id) throws InterruptedException {
        try (var client = MongoClients.create(mongoUri)) {
            var tasks = client.getDatabase("supervision_task").getCollection("tasks");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                Document task = tasks.find(new Document("_id", id)).first();
                if (task != null && task.getList("outbox", Object.class, List.of()).isEmpty()) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("The template task's events were not published within 60 s");
        }
    }

    /** Resident memory of the process listening on a port, from /proc. */
    static long rssMiB(int port) throws Exception {
        long pid = Procs.listening(port);
        if (pid < 0) {
            return -1;
        }
        for (String line : Files.readAllLines(Path.of("/proc", pid + "", "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private ScaleRun() {
    }
}
