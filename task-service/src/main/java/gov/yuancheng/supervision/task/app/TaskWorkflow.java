package gov.yuancheng.supervision.task.app;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

import gov.yuancheng.supervision.task.calendar.Calendars;
import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Context;
import gov.yuancheng.supervision.task.domain.LightRules;
import gov.yuancheng.supervision.task.domain.NewTask;
import gov.yuancheng.supervision.task.domain.RequestOrigin;
import gov.yuancheng.supervision.task.domain.Task;
import gov.yuancheng.supervision.task.store.TaskStore;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * Applies a change to one task: load what the caller may see, check the version they saw, skip a
 * request already applied (same Idempotency-Key), let the task decide, save the task with its events
 * in one versioned write. A concurrent change is retried when the caller gave no version to hold to.
 */
@Component
public class TaskWorkflow {

    /** A change that lost a race to another writer (another clerk, another replica) is redone on the fresh task. */
    private static final int ATTEMPTS = 8;

    private final TaskStore store;
    private final Calendars calendars;
    private final Clock clock;
    private final ZoneId zone;
    private final LightRules rules;

    public TaskWorkflow(TaskStore store, Calendars calendars, Clock clock,
            @Value("${supervision.time-zone:Asia/Shanghai}") ZoneId zone, LightRules rules) {
        this.store = store;
        this.calendars = calendars;
        this.clock = clock;
        this.zone = zone;
        this.rules = rules;
    }

    public ZoneId zone() {
        return zone;
    }

    public Context context(Actor actor, RequestOrigin origin) {
        return new Context(actor, origin, clock.instant(), zone, calendars.current(), rules);
    }

    /** Registers a task; a retried request with the same Idempotency-Key returns the task created first. */
    public Registered register(NewTask command, String idempotencyKey, Actor actor, RequestOrigin origin) {
        String creationKey = idempotencyKey == null ? null : actor.id() + ":" + idempotencyKey;
        if (creationKey != null) {
            Optional<Task> earlier = store.findByCreationKey(creationKey);
            if (earlier.isPresent()) {
                return new Registered(earlier.get(), false);
            }
        }
        Optional<Task> parent = Optional.ofNullable(command.parentId()).map(id -> visible(id, actor));
        Task task = Task.register(command, parent, creationKey, context(actor, origin));
        try {
            return new Registered(store.insert(task), true);
        }
        catch (DuplicateKeyException e) {
            return new Registered(store.findByCreationKey(creationKey).orElseThrow(() -> e), false);
        }
    }

    public record Registered(Task task, boolean created) {
    }

    public Task change(String id, Long expectedVersion, String idempotencyKey, Actor actor, RequestOrigin origin,
            BiConsumer<Task, Context> change) {
        for (int attempt = 1;; attempt++) {
            Task task = visible(id, actor);
            if (expectedVersion != null && !expectedVersion.equals(task.version())) {
                if (task.hasApplied(idempotencyKey)) {
                    return task;
                }
                throw new StaleVersionException(expectedVersion, task.version());
            }
            if (task.hasApplied(idempotencyKey)) {
                return task;
            }
            change.accept(task, context(actor, origin));
            task.rememberKey(idempotencyKey);
            try {
                return store.save(task);
            }
            catch (OptimisticLockingFailureException e) {
                if (expectedVersion != null) {
                    Task current = visible(id, actor);
                    if (current.hasApplied(idempotencyKey)) {
                        return current;
                    }
                    throw new StaleVersionException(expectedVersion, current.version());
                }
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    /** A short, random pause that grows with each lost race, so that racing writers stop meeting. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * attempt + 2));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A change the system makes only when the task decides it applies (it answers true); saved then. */
    public void changeIf(String id, Actor actor, java.util.function.BiPredicate<Task, Context> change) {
        for (int attempt = 1;; attempt++) {
            Task task = visible(id, actor);
            if (!change.test(task, context(actor, RequestOrigin.NONE))) {
                return;
            }
            try {
                store.save(task);
                return;
            }
            catch (OptimisticLockingFailureException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    public Task visible(String id, Actor actor) {
        return store.findById(id).filter(task -> task.isVisibleTo(actor)).orElseThrow(() -> new TaskNotFoundException(id));
    }
}
