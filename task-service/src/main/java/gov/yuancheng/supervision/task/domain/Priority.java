package gov.yuancheng.supervision.task.domain;

public enum Priority {
    HIGH, NORMAL, LOW
}
