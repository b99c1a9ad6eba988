package gov.yuancheng.supervision.task.domain;

/** CloudEvents {@code type} values of the task event contract (see contracts/task-events.schema.json). */
public final class TaskEventTypes {

    public static final String REGISTERED = "gov.supervision.task.registered.v1";
    public static final String ASSIGNED = "gov.supervision.task.assigned.v1";

    private TaskEventTypes() {
    }
}
