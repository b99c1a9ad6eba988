package gov.yuancheng.supervision.task.app;

import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.RequestOrigin;
import gov.yuancheng.supervision.task.store.TaskStore;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Lights change with the date, not only with changes: a deadline comes near, a report falls due.
 * The sweep recomputes the stored lights of active tasks (which searches filter on) with the same
 * code that every change uses.
 */
@Component
class LightSweep {

    private static final Actor SYSTEM = new Actor("task-service", "task-service", "系统", null, java.util.List.of());

    private final TaskStore store;
    private final TaskWorkflow workflow;

    LightSweep(TaskStore store, TaskWorkflow workflow) {
        this.store = store;
        this.workflow = workflow;
    }

    @Scheduled(fixedDelayString = "${supervision.lights.sweep-interval:10m}", initialDelayString = "PT30S")
    void sweep() {
        var context = workflow.context(SYSTEM, RequestOrigin.NONE);
        for (String id : store.activeTaskIds()) {
            store.findById(id).ifPresent(task -> {
                if (task.refreshLights(context)) {
                    store.storeLights(task);
                }
            });
        }
    }
}
