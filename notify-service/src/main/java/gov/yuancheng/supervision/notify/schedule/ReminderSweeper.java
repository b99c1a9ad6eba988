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

    /**
     * One sweep; returns how many reminders this replica sent. After downtime the slots since the watermark
     * are read a day at a time, one chunk after the other, until the sweep has caught up with now. A slot's
     * keys are sent in batches, side by side on the dispatch threads.
     */
    public int sweep() {
        Instant now = clock.instant();
        int sent = 0;
        long watermark = Long.MIN_VALUE;
        for (int chunk = 0; chunk < 400; chunk++) {
            ReminderStore.DueSlots due = store.dueSlots(now);
            if (due.from() <= watermark) {
                break; // an unfinished reminder (another replica's live lease) holds the watermark: next sweep
            }
            watermark = due.from();
            Map<ReminderStore.Slot, List<Future<Outcome>>> batches = new LinkedHashMap<>();
            for (ReminderStore.Slot slot : due.slots()) {
                List<String> open = slot.open();
                List<Future<Outcome>> results = new ArrayList<>();
                for (int i = 0; i < open.size(); i += BATCH) {
                    List<String> batch = open.subList(i, Math.min(open.size(), i + BATCH));
                    results.add(dispatchers.submit(() -> send(batch, now)));
                }
                batches.put(slot, results);
            }
            for (Map.Entry<ReminderStore.Slot, List<Future<Outcome>>> slot : batches.entrySet()) {
                Set<String> finished = new HashSet<>();
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
            }
            store.advance(due);
            if (due.to() >= due.nowMinute()) {
                break;
            }
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

    @PreDestroy
    void stop() {
        dispatchers.shutdownNow();
    }

    /** Sends one reminder if it is due and this replica wins its claim. */
    public boolean send(String key, Instant now) {
        return send(List.of(key), now).sent() == 1;
    }

    /**
     * Sends those of the reminders that are due and that this replica claims, after checking each against its
     * assignment as it is now.
     */
    private Outcome send(List<String> keys, Instant now) {
        ReminderStore.Claim claim = store.claim(keys, now);
        Set<String> finished = new HashSet<>(claim.finished());
        int sent = 0;
        if (claim.reminders().isEmpty()) {
            return new Outcome(0, finished);
        }
        try {
            Map<String, Assignment> assignments = new HashMap<>();
            schedules.findAll(claim.reminders().stream().map(Reminder::assignmentId).distinct().toList())
                    .forEach(a -> assignments.put(a.id(), a));
            List<Reminder> applicable = new ArrayList<>();
            List<String> cancelled = new ArrayList<>();
            for (Reminder r : claim.reminders()) {
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
            log.warn("Sending reminders {}... failed; retried after the lease: {}", keys.get(0), e.toString());
        }
        return new Outcome(sent, finished);
    }

    /**
     * Dispatches the reminders and marks them sent, all together; when that fails, one by one, so that one that
     * cannot be sent holds up no other (but not when the store cannot be reached: then the lease retries them all).
     * Returns those sent.
     */
    private List<Reminder> deliver(ReminderStore.Claim claim, List<Reminder> reminders, Instant now) {
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
