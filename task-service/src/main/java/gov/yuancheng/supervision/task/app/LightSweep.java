package gov.yuancheng.supervision.task.app;

import java.time.LocalDate;

import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.RequestOrigin;
import gov.yuancheng.supervision.task.domain.Roles;
import gov.yuancheng.supervision.task.store.TaskStore;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Lights change with the date, not only with changes: a deadline comes near, a report falls due. Every rule of a light
 * counts whole days, so a light can change without a change to its task only when the date changes. The sweep
 * recomputes the stored lights of active tasks (which searches filter on) with the same code that every change uses,
 * once a day: when a replica finds that the date has changed since the last sweep that went through (checked every
 * minute; the date is recorded in the store, so one sweep a day serves every replica and a restart does not sweep
 * again), rather than every few minutes: at a province's 300,000 active tasks a sweep reads every one of them. It
 * also recounts deadlines given in working days when the calendar changed (right after an administrator replaced a
 * year, and on every sweep, so that a replica that stopped midway leaves nothing behind).
 */
@Component
public class LightSweep {

    private static final Actor SYSTEM = new Actor("task-service", "task-service", "系统（工作日历）", null,
            java.util.List.of(Roles.SUPERVISOR));

    private final TaskStore store;
    private final TaskWorkflow workflow;

    /** The date of the last sweep that went through, in the service's time zone, as far as this replica knows. */
    private volatile LocalDate swept;

    public LightSweep(TaskStore store, TaskWorkflow workflow) {
        this.store = store;
        this.workflow = workflow;
    }

    @Scheduled(fixedDelayString = "${supervision.lights.check-interval:1m}", initialDelayString = "PT30S")
    public void onNewDay() {
        LocalDate today = workflow.context(SYSTEM, RequestOrigin.NONE).today();
        if (today.equals(swept)) {
            return;
        }
        // another replica, or this one before a restart, may have swept today already
        if (!today.equals(store.lightsSweptOn())) {
            sweep();
            store.lightsSwept(today);
        }
        swept = today;
    }

    public void sweep() {
        var context = workflow.context(SYSTEM, RequestOrigin.NONE);
        try (var tasks = store.activeTasks()) {
            tasks.forEach(task -> {
                if (task.deadlineWorkingDays() != null) {
                    recount(task.id());
                }
                else if (task.refreshLights(context)) {
                    store.storeLights(task);
                }
            });
        }
    }

    private void recount(String id) {
        try {
            workflow.changeIf(id, SYSTEM, (task, context) -> task.recountWorkingDayDeadlines(context) | task.refreshLights(context));
        }
        catch (RuntimeException e) {
            // The next sweep tries again; a failed recount must not stop the others.
        }
    }
}
