package gov.yuancheng.supervision.notify.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends the reminders that fell due: reads the due slots, claims each reminder, checks it still applies to
 * the assignment as it is now, hands it to the dispatcher and marks it sent. After a stop the first sweep
 * starts at the stored watermark, so whatever fell due meanwhile goes out at once, marked late.
 */
@Component
public class ReminderSweeper {

    private static final Logger log = LoggerFactory.getLogger(ReminderSweeper.class);

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
        // reminder's claim keeps them (and other replicas) from sending one twice
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
     * are read a day at a time, one chunk after the other, until the sweep has caught up with now.
     */
    public int sweep() {
        Instant now = clock.instant();
        int sent = 0;
        long watermark = Long.MIN_VALUE;
        for (int chunk = 0; chunk < 400; chunk++) {
            ReminderStore.DueSlots due = store.dueSlots(now);
            if (due.from() <= watermark) {
                break; // an unfinished reminder (another replica's live claim) holds the watermark: next sweep
            }
            watermark = due.from();
            for (ReminderStore.Slot slot : due.slots()) {
                int finishedPrefix = slot.done();
                boolean prefix = true;
                List<Future<Boolean>> results = new ArrayList<>();
                for (String key : slot.open()) {
                    results.add(dispatchers.submit(() -> send(key, now)));
                }
                for (int i = 0; i < results.size(); i++) {
                    String key = slot.open().get(i);
                    boolean sentNow = outcome(results.get(i));
                    if (sentNow) {
                        sent++;
                    }
                    if (prefix && (sentNow || store.finished(key))) {
                        finishedPrefix++;
                    }
                    else {
                        prefix = false;
                    }
                }
                store.finished(slot, finishedPrefix);
            }
            store.advance(due);
            if (due.to() >= due.nowMinute()) {
                break;
            }
        }
        return sent;
    }

    private static boolean outcome(Future<Boolean> result) {
        try {
            return result.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (ExecutionException e) {
            return false;
        }
    }

    @PreDestroy
    void stop() {
        dispatchers.shutdownNow();
    }

    /** Sends one reminder if it is due and this replica wins its claim. */
    public boolean send(String key, Instant now) {
        Optional<Reminder> claimed = store.claim(key, now);
        if (claimed.isEmpty()) {
            return false;
        }
        Reminder r = claimed.get();
        try {
            Assignment a = schedules.find(r.assignmentId());
            if (!schedules.planner().stillApplies(r, a)) {
                store.cancel(key);
                store.release(key);
                log.debug("Reminder {} no longer applies; cancelled", key);
                return false;
            }
            boolean late = Duration.between(r.dueAt(), now).compareTo(settings.lateAfter()) > 0;
            dispatcher.dispatch(notification(r, late));
            store.markSent(key, now, late);
            latency.record(Duration.between(r.dueAt(), now).isNegative() ? Duration.ZERO : Duration.between(r.dueAt(), now));
            meters.counter("supervision.reminders.sent", "kind", r.kind().name(), "late", String.valueOf(late)).increment();
            if (a != null && r.kind().recurring()) {
                schedules.extend(a.id(), r.dueAt());
            }
            return true;
        }
        catch (RuntimeException e) {
            // the claim stays until its lease ends; then this or another replica tries again
            log.warn("Sending reminder {} failed; retried after the lease: {}", key, e.toString());
            return false;
        }
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
