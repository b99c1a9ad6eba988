package gov.yuancheng.supervision.bench;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The fault suite: injects the faults of a bad day into a running local stack and checks that nothing accepted
 * is lost or recorded twice. Scenarios (arguments; none: all four, the longest to drain last: store, keycloak,
 * kill, kafka):
 * <ul>
 * <li>{@code kafka}: the broker stopped for 60 s in the middle of {@code FAULT_CHANGES} (10,000) task changes,
 * then started again;</li>
 * <li>{@code kill}: kill -9 of task-service, notify-service, audit-service, the gateway and the store in turn
 * under load, each started again at once;</li>
 * <li>{@code store}: the Mongo-wire store frozen (SIGSTOP) for 30 s while reads and writes go to every service,
 * directly and through the gateway;</li>
 * <li>{@code keycloak}: Keycloak stopped: tokens issued before keep working, new logins fail; then started
 * again.</li>
 * </ul>
 * Reads the stack's ports from the launcher's variables ({@code GATEWAY_PORT}, ..., {@code STACK_DATA} for the
 * logs). The load goes through the gateway with {@code FAULT_CLERKS} (8) clerks, {@code FAULT_KILL_CLERKS} (2)
 * while services are killed. Prints a result table and exits
 * with 1 when anything was lost, recorded twice, or answered 500, or when a component did not come back.
 */
public final class FaultSuite {

    final Map<String, Integer> ports = new TreeMap<>();
    final Path logs;
    final String gateway;
    final Tokens tokens;
    final long changes = Long.parseLong(env("FAULT_CHANGES", "10000"));
    final int clerks = Integer.parseInt(env("FAULT_CLERKS", "8"));
    final int killClerks = Integer.parseInt(env("FAULT_KILL_CLERKS", "2"));
    final List<String[]> rows = Collections.synchronizedList(new ArrayList<>());
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    FaultSuite() {
        ports.put("gateway", Integer.parseInt(env("GATEWAY_PORT", "8080")));
        ports.put("task-service", Integer.parseInt(env("TASK_SERVICE_PORT", "8081")));
        ports.put("notify-service", Integer.parseInt(env("NOTIFY_SERVICE_PORT", "8082")));
        ports.put("audit-service", Integer.parseInt(env("AUDIT_SERVICE_PORT", "8083")));
        ports.put("keycloak", Integer.parseInt(env("KEYCLOAK_PORT", "8180")));
        ports.put("kafka", Integer.parseInt(env("KAFKA_PORT", "9092")));
        ports.put("mongo-wire", Integer.parseInt(env("MONGO_PORT", "27017")));
        logs = Path.of(env("STACK_DATA", ".stack")).toAbsolutePath().resolve("logs");
        gateway = url("gateway");
        tokens = new Tokens(url("keycloak"));
    }

    public static void main(String[] args) throws Exception {
        List<String> scenarios = args.length == 0 ? List.of("store", "keycloak", "kill", "kafka") : List.of(args);
        FaultSuite suite = new FaultSuite();
        System.out.printf("Fault suite %s on %d cores: %s%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
                scenarios);
        for (String scenario : scenarios) {
            long started = System.nanoTime();
            System.out.printf("%n== %s ==%n", scenario);
            try {
                switch (scenario) {
                    case "kafka" -> suite.kafka();
                    case "kill" -> suite.kill();
                    case "store" -> suite.store();
                    case "keycloak" -> suite.keycloak();
                    default -> throw new IllegalArgumentException("unknown scenario " + scenario);
                }
            }
            catch (Exception e) {
                e.printStackTrace();
                suite.fail(scenario, "did not run to its end: " + e);
            }
            System.out.printf("== %s took %.0f s ==%n", scenario, (System.nanoTime() - started) / 1e9);
        }
        for (Ledger ledger : List.copyOf(suite.pending)) {
            System.out.printf("%n== %s, checked again ==%n", ledger.scenario);
            try {
                suite.verify(ledger, 0, true);
            }
            catch (Exception e) {
                suite.fail(ledger.scenario, "could not be checked again: " + e);
            }
        }
        suite.printTable();
        if (!suite.failures.isEmpty()) {
            System.out.println();
            System.out.println("FAILED:");
            suite.failures.forEach(f -> System.out.println("  " + f));
            System.exit(1);
        }
        System.out.println();
        System.out.println("All fault scenarios passed.");
        System.exit(0);
    }

    // ---------------------------------------------------------------- scenarios

    /** Kafka stopped for 60 s in the middle of the changes, then started again as it was. */
    void kafka() throws Exception {
        Ledger ledger = new Ledger("kafka");
        ChangeLoad load = new ChangeLoad(gateway, tokens, ledger, changes).start(clerks);
        long started = System.nanoTime();
        awaitUntil(() -> ledger.changes.get() >= changes / 5, Duration.ofMinutes(5));
        long pid = Procs.listening(port("kafka"));
        Procs.Snapshot broker = Procs.snapshot(pid);
        long atStop = ledger.changes.get();
        log("stopping Kafka (pid %d) after %,d accepted changes", pid, atStop);
        Procs.stop(pid, Duration.ofSeconds(30));
        Thread.sleep(60_000);
        long duringOutage = ledger.changes.get() - atStop;
        log("starting Kafka again; %,d changes accepted while it was away", duringOutage);
        long restart = System.nanoTime();
        Procs.restart(broker, logs.resolve("kafka.log"));
        Duration ready = awaitReady("kafka", Duration.ofMinutes(3));
        log("Kafka ready again after %.1f s", ready.toMillis() / 1000.0);
        load.await(Duration.ofMinutes(10));
        double took = (System.nanoTime() - started) / 1e9;
        row("kafka", "changes accepted (through the gateway)", "%,d in %.0f s (%.0f/s); %,d while Kafka was stopped"
                .formatted(ledger.changes.get(), took, ledger.changes.get() / took, duringOutage), true);
        row("kafka", "broker down / start to ready", "60 s / %.1f s".formatted(ready.toMillis() / 1000.0), true);
        loadRows("kafka", load);
        verify(ledger, (System.nanoTime() - restart) / 1e9);
    }

    /**
     * kill -9 of each service in turn while the clerks work, then of the store (whose journal must give back every
     * write it acknowledged); each started again at once.
     */
    void kill() throws Exception {
        Ledger ledger = new Ledger("kill");
        ChangeLoad load = new ChangeLoad(gateway, tokens, ledger, Long.MAX_VALUE).start(killClerks);
        long started = System.nanoTime();
        for (String service : List.of("task-service", "notify-service", "audit-service", "gateway", "mongo-wire")) {
            Thread.sleep(10_000);
            long pid = Procs.listening(port(service));
            Procs.Snapshot snapshot = Procs.snapshot(pid);
            long before = ledger.changes.get();
            Procs.signal(pid, "KILL");
            Procs.awaitExit(pid, Duration.ofSeconds(10));
            long killed = System.nanoTime();
            log("killed %s (pid %d) after %,d accepted changes; starting it again", service, pid, before);
            Procs.restart(snapshot, logs.resolve(service + ".log"));
            Duration ready = awaitReady(service, Duration.ofMinutes(4));
            long changesMeanwhile = ledger.changes.get() - before;
            log("%s ready again after %.1f s", service, (System.nanoTime() - killed) / 1e9);
            row("kill", service + ": kill -9, start to ready", "%.1f s; %,d changes accepted meanwhile"
                    .formatted(ready.toMillis() / 1000.0, changesMeanwhile), true);
        }
        Thread.sleep(10_000);
        load.stop();
        double took = (System.nanoTime() - started) / 1e9;
        row("kill", "changes accepted (through the gateway)", "%,d in %.0f s".formatted(ledger.changes.get(), took),
                true);
        loadRows("kill", load);
        verify(ledger, 0);
    }

    /** One kind of request to one place during the store outage. */
    record Probe(String name, String method, String url, String user, String body, boolean registers) {
    }

    record Sample(Probe probe, long startedNanos, long endedNanos, String status, String contentType, String body) {
    }

    /** The store frozen for 30 s: what every service answers meanwhile, and how soon it answers again. */
    void store() throws Exception {
        Ledger ledger = new Ledger("store");
        String register = "{\"title\":\"存储中断演练 %s\",\"category\":\"livelihood\",\"leadUnit\":\"dept-fgj\","
                + "\"deadline\":\"" + LocalDate.now().plusMonths(3) + "\"}";
        String preferences = "{\"email\":true,\"push\":true,\"quietFrom\":\"22:00\",\"quietUntil\":\"07:00\","
                + "\"digest\":false}";
        List<Probe> probes = new ArrayList<>();
        for (boolean direct : List.of(true, false)) {
            String via = direct ? "" : " via gateway";
            String task = direct ? url("task-service") : gateway;
            String notify = direct ? url("notify-service") : gateway;
            String audit = direct ? url("audit-service") : gateway;
            probes.add(new Probe("GET /api/tasks" + via, "GET", task + "/api/tasks?size=5", ChangeLoad.OFFICE, null,
                    false));
            probes.add(new Probe("POST /api/tasks" + via, "POST", task + "/api/tasks", ChangeLoad.OFFICE, register,
                    true));
            probes.add(new Probe("GET /api/notifications" + via, "GET", notify + "/api/notifications",
                    ChangeLoad.UNIT, null, false));
            probes.add(new Probe("PUT /api/notifications/preferences" + via, "PUT",
                    notify + "/api/notifications/preferences", ChangeLoad.UNIT, preferences, false));
            probes.add(new Probe("GET /api/audit/records" + via, "GET", audit + "/api/audit/records?size=5",
                    "jw-zhao", null, false));
        }
        for (String user : List.of(ChangeLoad.OFFICE, ChangeLoad.UNIT, "jw-zhao")) {
            tokens.fresh(user); // valid through the whole outage
        }
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        long[] phases = new long[2]; // SIGSTOP, SIGCONT (nanos)
        Map<Probe, Boolean> recovered = new ConcurrentHashMap<>();
        List<Thread> probers = new ArrayList<>();
        for (Probe probe : probes) {
            Thread prober = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Sample s = probe(probe, ledger);
                        samples.add(s);
                        if (phases[1] != 0 && s.startedNanos > phases[1] && s.status.startsWith("2")) {
                            recovered.put(probe, true);
                        }
                        Thread.sleep(1000);
                    }
                    catch (InterruptedException e) {
                        return;
                    }
                    catch (Exception e) {
                        log("probe %s: %s", probe.name, e);
                    }
                }
            }, "probe " + probe.name);
            prober.setDaemon(true);
            probers.add(prober);
            prober.start();
        }
        Thread.sleep(5000);
        long pid = Procs.listening(port("mongo-wire"));
        log("freezing the store (pid %d) for 30 s", pid);
        phases[0] = System.nanoTime();
        Procs.signal(pid, "STOP");
        Thread.sleep(30_000);
        Procs.signal(pid, "CONT");
        phases[1] = System.nanoTime();
        log("store running again");
        awaitUntil(() -> recovered.size() == probes.size(), Duration.ofMinutes(2));
        Thread.sleep(2000);
        probers.forEach(Thread::interrupt);
        for (Thread prober : probers) {
            prober.join(40_000);
        }

        for (Probe probe : probes) {
            List<Sample> mine;
            synchronized (samples) {
                mine = samples.stream().filter(s -> s.probe == probe).toList();
            }
            List<Sample> during = mine.stream()
                    .filter(s -> s.startedNanos >= phases[0] && s.startedNanos < phases[1]).toList();
            Map<String, Long> statuses = during.stream().collect(Collectors.groupingBy(
                    s -> s.status + (s.status.startsWith("no answer") ? "" : " " + shortType(s.contentType))
                            + (s.endedNanos > phases[1] ? " (answered only after the store came back)" : ""),
                    TreeMap::new, Collectors.counting()));
            long slowest = during.stream().mapToLong(s -> (s.endedNanos - s.startedNanos) / 1_000_000).max()
                    .orElse(0);
            double recovery = mine.stream().filter(s -> s.startedNanos > phases[1] && s.status.startsWith("2"))
                    .mapToDouble(s -> (s.endedNanos - phases[1]) / 1e9).min().orElse(Double.NaN);
            // During the outage: 503 problem+json; or, for a request that was waiting when the store came back,
            // its ordinary answer then. Never 500, never silence for 15 s.
            boolean all503 = during.stream().anyMatch(s -> s.status.equals("503"))
                    && during.stream().allMatch(s -> (s.status.equals("503")
                            && s.contentType.startsWith("application/problem+json"))
                            || (s.status.startsWith("2") && s.endedNanos > phases[1]));
            boolean no500 = mine.stream().noneMatch(s -> s.status.equals("500"));
            boolean ok = all503 && no500 && !Double.isNaN(recovery) && recovery < 60;
            row("store", probe.name, "during: %s; slowest %,d ms; first 2xx %.1f s after the store came back"
                    .formatted(statuses, slowest, recovery), ok);
            if (!ok) {
                during.stream().filter(s -> !s.status.equals("503") && !s.status.startsWith("2")).findFirst().ifPresent(s -> System.out.printf(
                        "  %s during the outage: %s %s after %,d ms: %s%n", probe.name, s.status, s.contentType,
                        (s.endedNanos - s.startedNanos) / 1_000_000, s.body));
                during.stream().filter(s -> s.status.equals("503")).findFirst().ifPresent(s -> System.out.printf(
                        "  %s 503 body: %s%n", probe.name, s.body));
            }
        }
        synchronized (samples) {
            samples.stream().filter(s -> s.startedNanos >= phases[0] && s.startedNanos < phases[1])
                    .filter(s -> s.status.equals("503")).findFirst().ifPresent(s -> System.out.printf(
                            "  a 503 during the outage (%s): %s%n", s.probe.name, s.body));
        }
        verify(ledger, (System.nanoTime() - phases[1]) / 1e9);
    }

    private Sample probe(Probe probe, Ledger ledger) throws Exception {
        String body = probe.body == null ? null : probe.body.formatted(UUID.randomUUID());
        long started = System.nanoTime();
        try {
            HttpResponse<String> r = TaskServiceLoad.send(probe.method, probe.url, tokens.get(probe.user), body,
                    probe.registers ? Map.of("Idempotency-Key", UUID.randomUUID().toString()) : Map.of(),
                    Duration.ofSeconds(15));
            if (probe.registers && r.statusCode() / 100 == 2) {
                ledger.accepted(TaskServiceLoad.json.readTree(r.body()).get("id").asString(), "registered",
                        "assigned");
            }
            String b = r.body();
            return new Sample(probe, started, System.nanoTime(), String.valueOf(r.statusCode()),
                    r.headers().firstValue("Content-Type").orElse(""), b.length() > 400 ? b.substring(0, 400) : b);
        }
        catch (java.net.http.HttpTimeoutException e) {
            return new Sample(probe, started, System.nanoTime(), "no answer in 15 s", "", "");
        }
        catch (java.io.IOException e) {
            return new Sample(probe, started, System.nanoTime(), "no answer (" + e.getClass().getSimpleName() + ")",
                    "", String.valueOf(e.getMessage()));
        }
    }

    private static String shortType(String contentType) {
        return contentType.isEmpty() ? "(no type)" : contentType.replaceAll(";.*", "");
    }

    /** Keycloak stopped: tokens from before keep working for their lifetime; new logins fail; then started again. */
    void keycloak() throws Exception {
        Ledger ledger = new Ledger("keycloak");
        Map<String, String> held = new TreeMap<>();
        for (String user : List.of(ChangeLoad.OFFICE, ChangeLoad.UNIT, "jw-zhao")) {
            held.put(user, tokens.fresh(user));
        }
        long lifetime = Tokens.expiry(held.get(ChangeLoad.OFFICE)) - Instant.now().getEpochSecond();
        String[][] calls = {
            {"GET", url("task-service") + "/api/tasks?size=5", ChangeLoad.OFFICE},
            {"GET", gateway + "/api/tasks?size=5", ChangeLoad.OFFICE},
            {"POST", gateway + "/api/tasks", ChangeLoad.OFFICE},
            {"GET", url("notify-service") + "/api/notifications", ChangeLoad.UNIT},
            {"GET", gateway + "/api/notifications", ChangeLoad.UNIT},
            {"GET", url("audit-service") + "/api/audit/records?size=5", "jw-zhao"},
            {"GET", gateway + "/api/audit/records?size=5", "jw-zhao"},
        };
        // The stack in use: each service has fetched Keycloak's signing keys (one that never has answers 503).
        List<String> before = new ArrayList<>();
        for (String[] call : calls) {
            if (call[0].equals("GET")) {
                int status = TaskServiceLoad.send("GET", call[1], held.get(call[2]), null, Map.of(),
                        Duration.ofSeconds(30)).statusCode();
                if (status != 200) {
                    before.add(call[1] + " " + status);
                }
            }
        }
        row("keycloak", "the reads below, with Keycloak up", before.isEmpty() ? "all 200" : String.join(", ", before),
                before.isEmpty());
        long pid = Procs.listening(port("keycloak"));
        Procs.Snapshot keycloak = Procs.snapshot(pid);
        log("stopping Keycloak (pid %d); tokens held expire in %d s", pid, lifetime);
        Procs.stop(pid, Duration.ofSeconds(30));
        long stopped = System.nanoTime();
        Thread.sleep(30_000);
        double after = (System.nanoTime() - stopped) / 1e9;

        List<String> seen = new ArrayList<>();
        boolean allOk = true;
        for (String[] call : calls) {
            String body = call[0].equals("POST") ? """
                    {"title":"身份服务中断演练 %s","category":"livelihood","leadUnit":"dept-fgj","deadline":"%s"}"""
                    .formatted(UUID.randomUUID(), LocalDate.now().plusMonths(3)) : null;
            String status;
            try {
                HttpResponse<String> r = TaskServiceLoad.send(call[0], call[1], held.get(call[2]), body, Map.of(),
                        Duration.ofSeconds(30));
                status = String.valueOf(r.statusCode());
                if (call[0].equals("POST") && r.statusCode() / 100 == 2) {
                    ledger.accepted(TaskServiceLoad.json.readTree(r.body()).get("id").asString(), "registered",
                            "assigned");
                }
                if (r.statusCode() / 100 != 2) {
                    System.out.printf("  %s %s: %d %s%n", call[0], call[1], r.statusCode(), r.body());
                }
            }
            catch (java.io.IOException e) {
                status = "no answer (" + e.getClass().getSimpleName() + ")";
            }
            allOk &= status.startsWith("2");
            seen.add(call[0] + " " + call[1].replace("http://127.0.0.1:", ":") + " " + status);
        }
        row("keycloak", "token lifespan; calls with a token from before, %.0f s after the stop".formatted(after),
                "%d s; %s".formatted(lifetime + 1, String.join(", ", seen)), allOk);

        String login;
        boolean loginFails;
        try {
            TaskServiceLoad.token(url("keycloak"), ChangeLoad.OFFICE);
            login = "a token was issued";
            loginFails = false;
        }
        catch (Exception e) {
            login = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            loginFails = true;
        }
        row("keycloak", "new password-grant login", login, loginFails);

        HttpResponse<String> page = TaskServiceLoad.http.send(HttpRequest.newBuilder(URI.create(gateway + "/"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> start = TaskServiceLoad.http.send(HttpRequest.newBuilder(
                URI.create(gateway + "/oauth2/authorization/keycloak")).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        String location = start.headers().firstValue("Location").orElse("");
        URI target = URI.create(gateway + "/").resolve(location.isEmpty() ? "/" : location);
        boolean backToThePage = target.toString().startsWith(gateway) && target.toString().contains("login=unavailable");
        String next;
        try {
            HttpResponse<String> answer = TaskServiceLoad.http.send(HttpRequest.newBuilder(target)
                    .timeout(Duration.ofSeconds(10)).header("Accept", "text/html").build(),
                    HttpResponse.BodyHandlers.ofString());
            next = String.valueOf(answer.statusCode());
        }
        catch (Exception e) {
            next = "no answer (" + e.getClass().getSimpleName() + ")";
        }
        String pageBody = page.body().length() > 120 ? page.body().substring(0, 120) : page.body();
        // A clear page: the gateway sends the browser back to its own start page, which says that signing in is
        // unavailable, instead of on to a Keycloak that does not answer.
        row("keycloak", "browser sign-in through the gateway",
                "GET / %d (%s); GET /oauth2/authorization/keycloak %d -> %s -> %s".formatted(page.statusCode(),
                        pageBody.isBlank() ? "Location " + page.headers().firstValue("Location").orElse("")
                                : "page", start.statusCode(), backToThePage ? location
                                : target.toString().replaceAll("\\?.*", "?..."), next),
                start.statusCode() == 302 && backToThePage && next.equals("200"));

        log("starting Keycloak again");
        long restart = System.nanoTime();
        Procs.restart(keycloak, logs.resolve("keycloak.log"));
        Duration ready = awaitReady("keycloak", Duration.ofMinutes(4));
        String again;
        boolean loginWorks;
        try {
            tokens.fresh(ChangeLoad.OFFICE);
            again = "a token is issued";
            loginWorks = true;
        }
        catch (Exception e) {
            again = "still failing: " + e;
            loginWorks = false;
        }
        row("keycloak", "Keycloak started again: start to ready; login", "%.1f s; %s"
                .formatted((System.nanoTime() - restart) / 1e9, again), loginWorks && ready != null);
        verify(ledger, 0);
    }

    // ---------------------------------------------------------------- checks

    /**
     * Waits (up to {@code FAULT_DRAIN_MINUTES}, 10) until the events of every accepted change have reached Kafka,
     * the audit log and the inboxes, then writes the comparison. A scenario not drained by then is checked once
     * more at the end of the suite: slow consumers are told apart from lost events.
     */
    void verify(Ledger ledger, double secondsSinceFault) throws Exception {
        verify(ledger, secondsSinceFault, false);
    }

    final List<Ledger> pending = Collections.synchronizedList(new ArrayList<>());

    void verify(Ledger ledger, double secondsSinceFault, boolean last) throws Exception {
        long started = System.nanoTime();
        Ledger.Tally tally;
        String bootstrap = "127.0.0.1:" + port("kafka");
        String mongo = "mongodb://127.0.0.1:" + port("mongo-wire");
        long deadline = started + Duration.ofMinutes(Long.parseLong(env("FAULT_DRAIN_MINUTES", "10"))).toNanos();
        long said = started;
        while (true) {
            tally = ledger.tally(Ledger.Observed.read(bootstrap, mongo));
            if (tally.clean() || System.nanoTime() > deadline) {
                break;
            }
            if (System.nanoTime() - said > 30e9) {
                said = System.nanoTime();
                log("draining: not yet in Kafka %d, not yet audited %d, urge notices still missing %d; behind: %s",
                        tally.lostInKafka(), tally.lostInAudit() + tally.kafkaEventsNotInAudit(), tally.missingNotices(),
                        lag(bootstrap));
            }
            Thread.sleep(3000);
        }
        double drained = (System.nanoTime() - started) / 1e9 + secondsSinceFault;
        String s = ledger.scenario + (last ? " (end of suite)" : "");
        if (!tally.clean() && !last) {
            pending.add(ledger);
            row(s, "not drained within %s min (checked again at the end)".formatted(env("FAULT_DRAIN_MINUTES", "10")),
                    "still missing: Kafka %d, audit %d, urge notices %d; twice: %d; consumers behind by %s"
                            .formatted(tally.lostInKafka(), tally.lostInAudit() + tally.kafkaEventsNotInAudit(),
                                    tally.missingNotices(), tally.twice(), lag(bootstrap)), tally.twice() == 0);
            return;
        }
        row(s, "events in Kafka for these tasks (records / distinct ids)",
                "%,d / %,d (%,d redelivered, allowed)".formatted(tally.kafkaRecords(), tally.kafkaDistinct(),
                        tally.kafkaRecords() - tally.kafkaDistinct()), true);
        row(s, "audit records (records / distinct event ids)", "%,d / %,d".formatted(tally.auditRecords(),
                tally.auditDistinct()), tally.auditDuplicates() == 0);
        row(s, "urge notices (accepted urges / notices)", "%,d / %,d".formatted(tally.urgesAccepted(),
                tally.notices()), tally.missingNotices() == 0 && tally.extraNotices() == 0);
        row(s, "lost: Kafka / audit / events not audited / notices", "%d / %d / %d / %d".formatted(
                tally.lostInKafka(), tally.lostInAudit(), tally.kafkaEventsNotInAudit(), tally.missingNotices()),
                tally.lost() == 0);
        row(s, "twice: Kafka / audit / audit same id / notices", "%d / %d / %d / %d (uncertain requests: %d)"
                .formatted(tally.extraInKafka(), tally.extraInAudit(), tally.auditDuplicates(), tally.extraNotices(),
                        tally.uncertain()), tally.twice() == 0);
        row(s, "drained (everything in audit and inboxes)", tally.clean()
                ? (last ? "yes" : "%.0f s after the component came back".formatted(drained)) : "NO", tally.clean());
    }

    /** How many records of the task events each consumer group has still to read. */
    static Map<String, Long> lag(String bootstrap) {
        Map<String, Long> lag = new TreeMap<>();
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of("bootstrap.servers",
                bootstrap))) {
            for (var group : admin.listConsumerGroups().all().get()) {
                var committed = admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata().get();
                Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                        new java.util.HashMap<>();
                committed.keySet().stream().filter(p -> p.topic().equals(Ledger.TOPIC))
                        .forEach(p -> latest.put(p, org.apache.kafka.clients.admin.OffsetSpec.latest()));
                if (latest.isEmpty() || group.groupId().startsWith("notify-push")) {
                    continue;
                }
                var ends = admin.listOffsets(latest).all().get();
                long behind = 0;
                for (var p : latest.keySet()) {
                    behind += ends.get(p).offset() - (committed.get(p) == null ? 0 : committed.get(p).offset());
                }
                lag.put(group.groupId(), behind);
            }
        }
        catch (Exception e) {
            lag.put("unknown: " + e.getMessage(), -1L);
        }
        return lag;
    }

    private void loadRows(String scenario, ChangeLoad load) {
        Map<String, Long> statuses = new TreeMap<>();
        load.statuses.forEach((k, v) -> statuses.put(k, v.sum()));
        boolean no500 = !statuses.containsKey("500");
        row(scenario, "answers to the clerks (retried with the same Idempotency-Key)", "%s; refused %d, given up %d"
                .formatted(statuses, load.rejected.get(), load.givenUp.get()), no500);
        load.firstBodies.forEach((status, body) -> System.out.printf("  first %s: %s%n", status, body));
    }

    private Duration awaitReady(String component, Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        int port = port(component);
        BooleanSupplier ready = switch (component) {
            case "kafka", "mongo-wire" -> () -> tcp(port);
            case "keycloak" -> () -> http200(url("keycloak") + "/realms/supervision/.well-known/openid-configuration");
            default -> () -> http200(url(component) + "/actuator/health/readiness");
        };
        awaitUntil(ready, timeout);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private void awaitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not so after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }

    private static boolean tcp(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
        catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean http200(String url) {
        try {
            return TaskServiceLoad.http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
        catch (Exception e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- output

    void row(String scenario, String what, String value, boolean ok) {
        rows.add(new String[] {scenario, what, value, ok ? "ok" : "FAIL"});
        System.out.printf("  %-4s %s: %s%n", ok ? "ok" : "FAIL", what, value);
        if (!ok) {
            fail(scenario, what + ": " + value);
        }
    }

    void fail(String scenario, String message) {
        failures.add(scenario + ": " + message);
    }

    void printTable() {
        System.out.println();
        System.out.println("| scenario | measure | result | |");
        System.out.println("|---|---|---|---|");
        synchronized (rows) {
            for (String[] r : rows) {
                System.out.printf("| %s | %s | %s | %s |%n", r[0], r[1], r[2].replace("|", "/"), r[3]);
            }
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("  [%s] %s%n", Instant.now().toString().substring(11, 19), format.formatted(args));
    }

    private int port(String component) {
        return ports.get(component);
    }

    private String url(String component) {
        return "http://127.0.0.1:" + port(component);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
