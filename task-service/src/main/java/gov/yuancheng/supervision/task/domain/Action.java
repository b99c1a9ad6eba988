package gov.yuancheng.supervision.task.domain;

/** What someone may do to a task; the API lists the allowed ones, and a 409 names them. */
public enum Action {
    DECOMPOSE, ACKNOWLEDGE, REPORT_PROGRESS, REQUEST_EXTENSION, REQUEST_COMPLETION, URGE, DECIDE_EXTENSION, REVIEW,
    CHANGE_DEADLINE, EVALUATE, CANCEL, SUSPEND, RESUME
}
