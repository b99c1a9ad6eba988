package gov.yuancheng.supervision.task.domain;

public enum AssignmentState {
    ASSIGNED
}
