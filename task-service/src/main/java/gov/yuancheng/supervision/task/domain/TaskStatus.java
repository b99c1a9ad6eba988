package gov.yuancheng.supervision.task.domain;

public enum TaskStatus {
    ACTIVE, SUSPENDED, COMPLETED, CANCELLED
}
