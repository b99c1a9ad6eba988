package gov.yuancheng.supervision.task.domain;

/** CloudEvents {@code type} values of the task event contract (see contracts/task-events.schema.json). */
public final class TaskEventTypes {

    private static final String PREFIX = "gov.supervision.task.";

    public static final String REGISTERED = PREFIX + "registered.v1";
    public static final String ASSIGNED = PREFIX + "assigned.v1";
    public static final String ACKNOWLEDGED = PREFIX + "acknowledged.v1";
    public static final String PROGRESS_REPORTED = PREFIX + "progress-reported.v1";
    public static final String URGED = PREFIX + "urged.v1";
    public static final String EXTENSION_REQUESTED = PREFIX + "extension-requested.v1";
    public static final String EXTENSION_DECIDED = PREFIX + "extension-decided.v1";
    public static final String DEADLINE_CHANGED = PREFIX + "deadline-changed.v1";
    public static final String COMPLETION_REQUESTED = PREFIX + "completion-requested.v1";
    public static final String REVIEWED = PREFIX + "reviewed.v1";
    public static final String EVALUATED = PREFIX + "evaluated.v1";
    public static final String CANCELLED = PREFIX + "cancelled.v1";
    public static final String SUSPENDED = PREFIX + "suspended.v1";
    public static final String RESUMED = PREFIX + "resumed.v1";
    public static final String CALENDAR_PUBLISHED = "gov.supervision.calendar.published.v1";

    private TaskEventTypes() {
    }
}
