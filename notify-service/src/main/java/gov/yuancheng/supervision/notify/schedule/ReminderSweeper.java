package gov.yuancheng.supervision.notify.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import gov.yuancheng.supervision.notify.delivery.Addressee;
import gov.yuancheng.supervision.notify.delivery.Dispatcher;
import gov.yuancheng.supervision.notify.delivery.Notification;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends the reminders that fell due: reads the due slots, claims their reminders a batch at a time, checks each
 * still applies to its assignment as it is now, hands them to the dispatcher and marks them sent. After a stop the first sweep
 * starts at the stored watermark, so whatever fell due meanwhile goes out at once, marked late.
 *
 * <p>Reminders due within {@code prepareAhead} are claimed (their lease runs from the end of that window) and read
 * before they fall due, and kept here (at most {@code prepareAtMost}): at their instant only the check against the assignment and the sending are left, so
 * that a burst (every reminder of a day falls due at the send time) goes out quickly. A replica that stops hands its
 * prepared reminders back; one that dies leaves them to its leases, after which another replica sends them.
 */
@Component
public class ReminderSweeper {

    private static final Logger log = LoggerFactory.getLogger(ReminderSweeper.class);

    /** Reminders claimed and sent together: a few writes for each batch instead of several for each reminder. */
    private static final int BATCH = 100;

    private final ReminderStore store;
    private final Schedules schedules;
    private final Dispatcher dispatcher;
    private final ScheduleSettings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Timer latency;
    private final ExecutorService dispatchers;

    /** Prepared reminders by due instant (guarded by itself), and their keys (which later sweeps leave alone). */
    private final TreeMap<Instant, List<Prepared>> prepared = new TreeMap<>();
    private final Set<String> preparedKeys = ConcurrentHashMap.newKeySet();

    /** Keys that another claim (another replica's, say) holds, until its lease ends: not asked for again before. */
    private final Map<String, Instant> leasedElsewhere = new ConcurrentHashMap<>();

    /** Keys of prepared reminders that were sent or cancelled, by slot, until the slot's next sweep counts them. */
    private final Map<Long, Set<String>> settled = new ConcurrentHashMap<>();

    public ReminderSweeper(ReminderStore store, Schedules schedules, Dispatcher dispatcher, ScheduleSettings settings,
            Clock clock, MeterRegistry meters,
            @Value("${supervision.notify.schedule.dispatch-threads:4}") int dispatchThreads) {
        // a burst (every reminder of the day falls due at send-time) is sent by several threads; each
        // reminder's lease keeps them (and other replicas) from sending one twice
        this.dispatchers = Executors.newFixedThreadPool(Math.max(1, dispatchThreads), runnable -> {
            Thread thread = new Thread(runnable, "reminder-dispatch");
            thread.setDaemon(true);
            return thread;
        });
        this.store = store;
        this.schedules = schedules;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
        this.latency = Timer.builder("supervision.reminders.latency")
                .description("From a reminder's due instant to its dispatch").register(meters);
        meters.gauge("supervision.reminders.prepared", preparedKeys, Set::size);
    }

    @Scheduled(fixedDelayString = "${supervision.notify.schedule.sweep-interval:500ms}")
    void scheduledSweep() {
        try {
            sweep();
        }
        catch (RuntimeException e) {
            log.warn("Reminder sweep failed; the next one retries: {}", e.toString());
        }
    }

    /** Sends the prepared reminders at their instant rather than at the next sweep; costs nothing when none is due. */
    @Scheduled(fixedDelayString = "${supervision.notify.schedule.prepared-check-interval:50ms}")
    void sendPreparedOnTime() {
        try {
            sendPrepared(clock.instant());
        }
        catch (RuntimeException e) {
            log.warn("Sending prepared reminders failed; their leases end and a sweep retries: {}", e.toString());
        }
    }

    /**
     * One sweep; returns how many reminders this replica sent. First the prepared reminders that fell due are sent;
     * then the slots from the watermark to a little ahead of now are read, after downtime a day at a time, one chunk
     * after the other, until the sweep has caught up. A slot's keys are claimed and sent (or prepared) in batches, side
     * by side on the dispatch threads.
     */
    public int sweep() {
        Instant now = clock.instant();
        int sent = sendPrepared(now);
        Instant horizon = now.plus(settings.prepareAhead());
        leasedElsewhere.values().removeIf(until -> !until.isAfter(now));
        long watermark = Long.MIN_VALUE;
        for (int chunk = 0; chunk < 400; chunk++) {
            ReminderStore.DueSlots due = store.dueSlots(now, horizon);
            if (due.from() <= watermark) {
                break; // an unfinished reminder (another replica's live lease) holds the watermark: next sweep
            }
            watermark = due.from();
            settled.keySet().removeIf(slot -> slot / settings.slotShards() < due.from());
            Map<ReminderStore.Slot, List<Future<Outcome>>> batches = new LinkedHashMap<>();
            long preparing = preparedKeys.size();
            for (ReminderStore.Slot slot : due.slots()) {
                Set<String> known = settled.getOrDefault(slot.id(), Set.of());
                List<String> open = slot.open().stream()
                        .filter(key -> !known.contains(key) && !preparedKeys.contains(key)
                                && !leasedElsewhere.containsKey(key))
                        .distinct().toList();
                List<Future<Outcome>> results = new ArrayList<>();
                for (int i = 0; i < open.size(); i += BATCH) {
                    List<String> batch = open.subList(i, Math.min(open.size(), i + BATCH));
                    // prepared reminders are held in memory: beyond the limit (counting every key a batch might
                    // prepare), the rest are claimed when due
                    boolean ahead = preparing < settings.prepareAtMost();
                    if (ahead) {
                        preparing += batch.size();
                    }
                    Instant until = ahead ? horizon : now;
                    results.add(dispatchers.submit(() -> claimAndSend(slot.id(), batch, now, until)));
                }
                batches.put(slot, results);
            }
            for (Map.Entry<ReminderStore.Slot, List<Future<Outcome>>> slot : batches.entrySet()) {
                Set<String> finished = new HashSet<>(settled.getOrDefault(slot.getKey().id(), Set.of()));
                for (Future<Outcome> result : slot.getValue()) {
                    Outcome outcome = outcome(result);
                    sent += outcome.sent();
                    finished.addAll(outcome.finished());
                }
                int finishedPrefix = slot.getKey().done();
                for (String key : slot.getKey().open()) {
                    if (!finished.contains(key)) {
                        break;
                    }
                    finishedPrefix++;
                }
                store.finished(slot.getKey(), finishedPrefix);
                if (finishedPrefix == slot.getKey().keys().size()) {
                    settled.remove(slot.getKey().id());
                }
            }
            store.advance(due);
            if (due.to() >= due.lastMinute()) {
                break;
            }
        }
        return sent;
    }

    /** Sends the prepared reminders that are due, a claim's at a time in batches, side by side. */
    private int sendPrepared(Instant now) {
        List<Prepared> due = new ArrayList<>();
        synchronized (prepared) {
            for (var entry = prepared.firstEntry(); entry != null && !entry.getKey().isAfter(now);
                    entry = prepared.firstEntry()) {
                due.addAll(prepared.remove(entry.getKey()));
            }
        }
        if (due.isEmpty()) {
            return 0;
        }
        Map<String, List<Prepared>> byClaim = new LinkedHashMap<>();
        due.forEach(p -> byClaim.computeIfAbsent(p.claim(), k -> new ArrayList<>()).add(p));
        List<Future<Outcome>> results = new ArrayList<>();
        List<List<Prepared>> batches = new ArrayList<>();
        int sent = 0;
        try {
            for (Map.Entry<String, List<Prepared>> claim : byClaim.entrySet()) {
                List<Prepared> all = claim.getValue();
                for (int i = 0; i < all.size(); i += BATCH) {
                    List<Prepared> batch = all.subList(i, Math.min(all.size(), i + BATCH));
                    batches.add(batch);
                    results.add(dispatchers.submit(
                            () -> send(claim.getKey(), batch.stream().map(Prepared::reminder).toList(), now)));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                Outcome outcome = outcome(results.get(i));
                sent += outcome.sent();
                for (Prepared p : batches.get(i)) {
                    if (outcome.finished().contains(p.reminder().key())) {
                        settled.computeIfAbsent(p.slot(), k -> ConcurrentHashMap.newKeySet()).add(p.reminder().key());
                    }
                }
            }
        }
        finally {
            // those not sent wait for their lease, after which any replica (this one too) claims them again
            due.forEach(p -> preparedKeys.remove(p.reminder().key()));
        }
        return sent;
    }

    private static Outcome outcome(Future<Outcome> result) {
        try {
            return result.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(0, Set.of());
        }
        catch (ExecutionException e) {
            return new Outcome(0, Set.of());
        }
    }

    /** How many reminders of a batch were sent, and which of its keys need nothing more. */
    private record Outcome(int sent, Set<String> finished) {
    }

    /** A reminder claimed before it falls due, with its claim and the slot it was read from. */
    private record Prepared(String claim, Reminder reminder, long slot) {
    }

    /** Hands the prepared reminders back: their leases end, so that another replica can send them at their instant. */
    @PreDestroy
    void stop() {
        dispatchers.shutdownNow();
        Map<String, List<String>> byClaim = new HashMap<>();
        synchronized (prepared) {
            prepared.values().forEach(list -> list.forEach(
                    p -> byClaim.computeIfAbsent(p.claim(), k -> new ArrayList<>()).add(p.reminder().key())));
            prepared.clear();
        }
        preparedKeys.clear();
        try {
            byClaim.forEach(store::release);
        }
        catch (RuntimeException e) {
            log.warn("Could not hand back {} prepared reminder claims; their leases end on their own: {}", byClaim.size(),
                    e.toString());
        }
    }

    /** Sends one reminder if it is due and this replica wins its claim. */
    public boolean send(String key, Instant now) {
        ReminderStore.Claim claim = store.claim(List.of(key), now);
        return send(claim.token(), claim.reminders(), now).sent() == 1;
    }

    /**
     * Claims those of the keys that fall due by the horizon, sends those due now and prepares the others; returns
     * what was sent and which keys need nothing more.
     */
    private Outcome claimAndSend(long slot, List<String> keys, Instant now, Instant horizon) {
        ReminderStore.Claim claim = store.claim(keys, now, horizon);
        leasedElsewhere.putAll(claim.leased());
        List<Reminder> dueNow = new ArrayList<>();
        for (Reminder r : claim.reminders()) {
            if (r.dueAt().isAfter(now)) {
                preparedKeys.add(r.key());
                synchronized (prepared) {
                    prepared.computeIfAbsent(r.dueAt(), k -> new ArrayList<>()).add(new Prepared(claim.token(), r, slot));
                }
            }
            else {
                dueNow.add(r);
            }
        }
        Outcome outcome = send(claim.token(), dueNow, now);
        Set<String> finished = new HashSet<>(claim.finished());
        finished.addAll(outcome.finished());
        return new Outcome(outcome.sent(), finished);
    }

    /**
     * Sends those of the claimed reminders that still apply to their assignment as it is now; cancels the others.
     */
    private Outcome send(String claim, List<Reminder> reminders, Instant now) {
        Set<String> finished = new HashSet<>();
        int sent = 0;
        if (reminders.isEmpty()) {
            return new Outcome(0, finished);
        }
        try {
            Map<String, Assignment> assignments = new HashMap<>();
            schedules.findAll(reminders.stream().map(Reminder::assignmentId).distinct().toList())
                    .forEach(a -> assignments.put(a.id(), a));
            List<Reminder> applicable = new ArrayList<>();
            List<String> cancelled = new ArrayList<>();
            for (Reminder r : reminders) {
                if (schedules.planner().stillApplies(r, assignments.get(r.assignmentId()))) {
                    applicable.add(r);
                }
                else {
                    cancelled.add(r.key());
                    log.debug("Reminder {} no longer applies; cancelled", r.key());
                }
            }
            store.cancel(cancelled);
            finished.addAll(cancelled);
            Map<String, Instant> recurring = new HashMap<>();
            for (Reminder r : deliver(claim, applicable, now)) {
                sent++;
                finished.add(r.key());
                Duration delay = Duration.between(r.dueAt(), now);
                latency.record(delay.isNegative() ? Duration.ZERO : delay);
                meters.counter("supervision.reminders.sent", "kind", r.kind().name(), "late", String.valueOf(late(r, now)))
                        .increment();
                if (r.kind().recurring() && assignments.containsKey(r.assignmentId())) {
                    recurring.merge(r.assignmentId(), r.dueAt(), (x, y) -> x.isBefore(y) ? x : y);
                }
            }
            schedules.extend(recurring);
        }
        catch (RuntimeException e) {
            // the lease holds the reminders until it ends; then this or another replica tries again
            log.warn("Sending reminders {}... failed; retried after the lease: {}", reminders.get(0).key(), e.toString());
        }
        return new Outcome(sent, finished);
    }

    /**
     * Dispatches the reminders and marks them sent, all together; when that fails, one by one, so that one that
     * cannot be sent holds up no other (but not when the store cannot be reached: then the lease retries them all).
     * Returns those sent.
     */
    private List<Reminder> deliver(String claim, List<Reminder> reminders, Instant now) {
        if (reminders.isEmpty()) {
            return reminders;
        }
        try {
            dispatcher.dispatch(reminders.stream().map(r -> notification(r, late(r, now))).toList());
            Map<Boolean, List<String>> byLateness = new HashMap<>();
            reminders.forEach(r -> byLateness.computeIfAbsent(late(r, now), k -> new ArrayList<>()).add(r.key()));
            byLateness.forEach((late, keys) -> store.markSent(claim, keys, now, late));
            return reminders;
        }
        catch (RuntimeException e) {
            if (reminders.size() == 1 || e instanceof DataAccessResourceFailureException) {
                log.warn("Sending reminder {}{} failed; retried after the lease: {}", reminders.get(0).key(),
                        reminders.size() == 1 ? "" : " and " + (reminders.size() - 1) + " more", e.toString());
                return List.of();
            }
            List<Reminder> sent = new ArrayList<>();
            reminders.forEach(r -> sent.addAll(deliver(claim, List.of(r), now)));
            return sent;
        }
    }

    private boolean late(Reminder r, Instant now) {
        return Duration.between(r.dueAt(), now).compareTo(settings.lateAfter()) > 0;
    }

    private Notification notification(Reminder r, boolean late) {
        List<Addressee> to = new ArrayList<>();
        if (r.kind().escalates()) {
            if (r.responsibleLeader() != null && !r.responsibleLeader().isBlank()) {
                to.add(Addressee.user(r.responsibleLeader()));
            }
            to.add(Addressee.unit(settings.officeUnit()));
        }
        else {
            to.add(Addressee.unit(r.unit()));
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("title", r.title() == null ? "" : r.title());
        values.put("unit", r.unit());
        values.put("deadline", Dispatcher.chineseDate(r.deadline()));
        values.put("n", String.valueOf(r.n()));
        values.put("reportDate", Dispatcher.chineseDate(r.reportDate()));
        values.put("message", r.message() == null ? "" : r.message());
        return new Notification(r.key(), r.kind().name(), r.taskId(), r.assignmentId(), to, values, r.dueAt(), late);
    }
}
