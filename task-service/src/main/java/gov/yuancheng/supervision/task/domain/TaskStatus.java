package gov.yuancheng.supervision.task.domain;

public enum TaskStatus {
    IN_PROGRESS
}
