package gov.yuancheng.supervision.notify.schedule;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import gov.yuancheng.supervision.notify.TestClock;
import gov.yuancheng.supervision.notify.calendar.Calendars;
import gov.yuancheng.supervision.notify.calendar.WorkingDayCalendar;
import gov.yuancheng.supervision.notify.delivery.DeliveryQueue;
import gov.yuancheng.supervision.notify.delivery.Dispatcher;
import gov.yuancheng.supervision.notify.delivery.EventOutbox;
import gov.yuancheng.supervision.notify.delivery.Templates;
import gov.yuancheng.supervision.mongowire.MongoWireServer;
import gov.yuancheng.supervision.notify.inbox.Inbox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not part of the test run (the name does not end in Test): {@code scripts/bench-notify.sh} runs it.
 * Loads 100,000 open assignments with their planned reminders into the Mongo-wire store (the local stack's
 * durable store, in a temporary folder, spoken to over the wire), then measures one sweep with nothing due, a naive
 * scan for comparison, the store's own raw rate, and due-to-sent for a single reminder and for a burst.
 */
class ReminderSweepBenchmark {

    static final int ASSIGNMENTS = Integer.getInteger("bench.assignments", 100_000);
    static final int WARM_UP = Math.min(ASSIGNMENTS, 5_000);
    static final ScheduleSettings SETTINGS = new ScheduleSettings(ZoneId.of("Asia/Shanghai"), LocalTime.of(9, 0),
            List.of(3, 1), 1, 1, List.of(3, 10), "office-dcs", Duration.ofSeconds(60), Duration.ofMinutes(1),
            Duration.ofMillis(500), 8, 2, 1440, 1, Duration.ofSeconds(20), 20_000);

    /** Noted while loading: reading 800,000 reminders back in one reply exceeds the wire protocol's limit. */
    private static Instant earliestDue = Instant.MAX;

    @Test
    void sweepCostGrowsWithWhatIsDueNotWithWhatIsOpen() throws Exception {
        Path data = Files.createTempDirectory("notify-bench");
        MongoServer server = MongoWireServer.durable(data, "127.0.0.1", 0);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            MongoTemplate mongo = new MongoTemplate(client, "notify_bench");
            Instant t0 = Instant.parse("2027-03-01T00:00:00Z");
            TestClock clock = new TestClock(t0);
            ReminderStore store = new ReminderStore(mongo, SETTINGS);
            Calendars calendars = new Calendars(mongo, clock);
            Schedules schedules = new Schedules(mongo, store, calendars, SETTINGS, clock);
            Dispatcher dispatcher = new Dispatcher(new Inbox(mongo), new DeliveryQueue(mongo), new EventOutbox(mongo, clock),
                    new Templates(), clock, SETTINGS.zone(), "");
            ReminderSweeper sweeper = new ReminderSweeper(store, schedules, dispatcher, SETTINGS, clock,
                    new SimpleMeterRegistry(), Integer.getInteger("bench.threads", 4));

            double rawRate = rawInsertRate(mongo);
            long loadStart = System.nanoTime();
            int reminderCount = load(mongo, t0);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            mongo.getCollection(ReminderStore.STATE).insertOne(
                    new Document("_id", "reminders").append("minute", ReminderStore.minute(t0) - 2));

            // warm up, then time sweeps with nothing due
            for (int i = 0; i < 20; i++) {
                sweeper.sweep();
            }
            long[] idle = new long[50];
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < idle.length; i++) {
                clock.advance(Duration.ofMillis(500));
                long start = System.nanoTime();
                assertThat(sweeper.sweep()).isZero();
                idle[i] = System.nanoTime() - start;
            }
            long allocatedPerSweep = (threads.getCurrentThreadAllocatedBytes() - allocatedBefore) / idle.length;
            Arrays.sort(idle);

            long scanStart = System.nanoTime();
            long scanned = mongo.count(new Query(Criteria.where("status").is("PENDING").and("dueAt").lte(clock.instant())),
                    Reminder.class);
            double scanMillis = (System.nanoTime() - scanStart) / 1e6;

            // the first reminder due after t0: one reminder due, sent by the next sweep
            Reminder first = mongo.find(new Query().limit(1), Reminder.class).get(0);
            Instant earliest = earliestDue;
            // the first sweep after a start runs cold (interpreted code, nothing compiled yet); a running service has
            // sent reminders before. A burst of urges half an hour before the measured ones warms the same path.
            Instant warmUpDue = earliest.minus(Duration.ofMinutes(30));
            List<Reminder> warmUp = new ArrayList<>();
            for (int i = 0; i < WARM_UP; i++) {
                warmUp.add(new Reminder(Reminder.key("bench-warm-up-" + i, 0, ReminderKind.URGE, warmUpDue), "bench-" + i,
                        "task-" + i, first.unit(), first.title(), ReminderKind.URGE, 0, 0, first.deadline(), null, warmUpDue,
                        Reminder.Status.PENDING, null, false, null, "基准测试预热"));
            }
            store.storeAll(warmUp, clock.instant());
            clock.set(warmUpDue.minus(SETTINGS.prepareAhead()));
            sweeper.sweep();
            clock.set(warmUpDue);
            long coldStart = System.nanoTime();
            int coldSent = sweeper.sweep();
            double coldMillis = (System.nanoTime() - coldStart) / 1e6;
            clock.set(earliest);
            // the reminders of the first three working days fall due at their send time: one burst a day
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            StringBuilder bursts = new StringBuilder(String.format("BENCH first burst after start (cold code): %d urges"
                    + " sent by one sweep in %.0f ms%n", coldSent, coldMillis));
            int burst = 0;
            for (int day = 0; day < 3; day++) {
                Instant due = earliest.plus(Duration.ofDays(day));
                // as the service sweeps: the reminders due within prepareAhead are claimed and read before their instant
                clock.set(due.minus(SETTINGS.prepareAhead()));
                long prepareStart = System.nanoTime();
                assertThat(sweeper.sweep()).isZero();
                double prepareMillis = (System.nanoTime() - prepareStart) / 1e6;
                clock.set(due);
                long burstCpu = os.getProcessCpuTime();
                long burstGc = gcMillis();
                long burstStart = System.nanoTime();
                int sent = sweeper.sweep();
                double burstMillis = (System.nanoTime() - burstStart) / 1e6;
                burstCpu = os.getProcessCpuTime() - burstCpu;
                burstGc = gcMillis() - burstGc;
                Map<String, Integer> kinds = new java.util.TreeMap<>();
                mongo.find(new Query(Criteria.where("status").is("SENT").and("dueAt").is(due)), Reminder.class)
                        .forEach(r -> kinds.merge(r.kind().name(), 1, Integer::sum));
                bursts.append(String.format("BENCH burst: %d reminders due at %s sent by one sweep in %.0f ms; the process"
                        + " used %.1f s of CPU meanwhile (%.2f ms per reminder), %d ms of it in collections; %s; prepared"
                        + " by the sweep %s ahead in %.0f ms%n", sent, due, burstMillis, burstCpu / 1e9,
                        sent == 0 ? 0 : burstCpu / 1e6 / sent, burstGc, kinds, SETTINGS.prepareAhead(), prepareMillis));
                burst += sent;
            }

            Instant single = clock.instant().plusSeconds(30);
            Reminder one = new Reminder(Reminder.key("bench-single", 0, ReminderKind.URGE, single), first.assignmentId(),
                    first.taskId(), first.unit(), first.title(), ReminderKind.URGE, 0, first.deadlineVersion(),
                    first.deadline(), null, single, Reminder.Status.PENDING, null, false, null, "基准测试");
            store.store(one, clock.instant());
            clock.set(single);
            long singleStart = System.nanoTime();
            int singleSent = sweeper.sweep();
            double singleMillis = (System.nanoTime() - singleStart) / 1e6;

            // the event path: new assignments arriving one at a time, as task events bring them, each planned and filed
            int arriving = 2_000;
            long eventCpu = os.getProcessCpuTime();
            long eventStart = System.nanoTime();
            for (int i = 0; i < arriving; i++) {
                schedules.assign(new Assignment("arriving-" + i, "task-arriving-" + i, "dept-" + (i % 40), "LEAD",
                        "新交办事项" + i, LocalDate.of(2027, 6, 30).plusDays(i % 90), 0, "leader-liu",
                        new ReportingCycle("MONTHLY", 25), clock.instant(), false, null, Assignment.State.OPEN, 1,
                        List.of()), clock.instant());
            }
            double eventMillis = (System.nanoTime() - eventStart) / 1e6;
            eventCpu = os.getProcessCpuTime() - eventCpu;
            long planned = mongo.count(new Query(Criteria.where("assignmentId").regex("^arriving-")), Reminder.class);

            Runtime runtime = Runtime.getRuntime();
            System.gc();
            long heap = runtime.totalMemory() - runtime.freeMemory();
            System.out.printf("""
                    BENCH assignments=%d reminders=%d load=%.1fs (bulk inserts)
                    BENCH raw single-insert rate of the store: %.0f docs/s
                    BENCH idle sweep (nothing due): median %.2f ms, p95 %.2f ms, max %.2f ms; %d KiB allocated per sweep by the sweeper
                    BENCH naive scan for due reminders (status+dueAt, no index on the local store): %.1f ms (found %d)
                    %sBENCH single: %d reminder sent by one sweep in %.1f ms (+ up to one sweep interval, %s)
                    BENCH event path: %d assignments arriving one at a time planned and filed %d reminders in %.0f ms (%.2f ms and %.2f ms of CPU each)
                    BENCH heap used after GC, store in the same JVM: %d MiB
                    """, ASSIGNMENTS, reminderCount, loadSeconds, rawRate, idle[idle.length / 2] / 1e6,
                    idle[(int) (idle.length * 0.95)] / 1e6, idle[idle.length - 1] / 1e6, allocatedPerSweep / 1024,
                    scanMillis, scanned, bursts, singleSent,
                    singleMillis, SETTINGS.sweepInterval(), arriving, planned, eventMillis, eventMillis / arriving,
                    eventCpu / 1e6 / arriving, heap / (1024 * 1024));
            assertThat(coldSent).isEqualTo(WARM_UP);
            assertThat(burst).isPositive();
            assertThat(singleSent).isEqualTo(1);
            assertThat(planned).isGreaterThanOrEqualTo(arriving);
        }
        finally {
            server.shutdownNow();
            FileSystemUtils.deleteRecursively(data);
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(gc -> Math.max(0, gc.getCollectionTime()))
                .sum();
    }

    private static double rawInsertRate(MongoTemplate mongo) {
        int n = 5_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            mongo.getCollection("bench_raw").insertOne(new Document("_id", i).append("v", "x".repeat(100)));
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** Plans every assignment with the production planner and bulk-inserts assignments, reminders and slots. */
    private static int load(MongoTemplate mongo, Instant t0) {
        ReminderPlanner planner = new ReminderPlanner(SETTINGS);
        WorkingDayCalendar calendar = WorkingDayCalendar.mondayToFriday();
        Random random = new Random(42);
        LocalDate today = t0.atZone(SETTINGS.zone()).toLocalDate();
        List<Assignment> assignments = new ArrayList<>();
        List<Reminder> reminders = new ArrayList<>();
        Map<Long, List<String>> slots = new HashMap<>();
        int total = 0;
        for (int i = 0; i < ASSIGNMENTS; i++) {
            LocalDate deadline = today.plusDays(5 + random.nextInt(360));
            Instant assignedAt = t0.minus(Duration.ofDays(random.nextInt(30)));
            Assignment a = new Assignment("bench-" + i, "task-" + i, "dept-" + (i % 40), "LEAD", "基准测试事项" + i,
                    deadline, 0, "leader-liu", new ReportingCycle("MONTHLY", 25), assignedAt, random.nextBoolean(), null,
                    Assignment.State.OPEN, 0, List.of());
            List<Reminder> plan = planner.plan(a, calendar, t0);
            List<String> keys = plan.stream().map(Reminder::key).toList();
            assignments.add(new Assignment(a.id(), a.taskId(), a.unit(), a.role(), a.title(), a.deadline(), 0,
                    a.responsibleLeader(), a.reportingCycle(), a.assignedAt(), a.acknowledged(), null, a.state(), 0, keys));
            reminders.addAll(plan);
            for (Reminder r : plan) {
                if (r.dueAt().isBefore(earliestDue)) {
                    earliestDue = r.dueAt();
                }
                slots.computeIfAbsent(ReminderStore.slotId(ReminderStore.minute(r.dueAt()), r.key(), SETTINGS.slotShards()),
                        k -> new ArrayList<>()).add(r.key());
            }
            if (assignments.size() == 2_000) {
                total += flush(mongo, assignments, reminders);
            }
        }
        total += flush(mongo, assignments, reminders);
        List<Document> slotDocs = new ArrayList<>();
        slots.forEach((id, keys) -> slotDocs.add(new Document("_id", id).append("keys", keys)));
        for (int i = 0; i < slotDocs.size(); i += 1_000) {
            mongo.getCollection(ReminderStore.SLOTS).insertMany(slotDocs.subList(i, Math.min(slotDocs.size(), i + 1_000)));
        }
        return total;
    }

    private static int flush(MongoTemplate mongo, List<Assignment> assignments, List<Reminder> reminders) {
        mongo.insertAll(assignments);
        mongo.insertAll(reminders);
        int n = reminders.size();
        assignments.clear();
        reminders.clear();
        return n;
    }
}
