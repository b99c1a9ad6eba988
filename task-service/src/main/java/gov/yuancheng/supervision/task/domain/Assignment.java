package gov.yuancheng.supervision.task.domain;

import java.time.Instant;

/** 交办: one per unit on a task, with its own state. */
public record Assignment(String id, String unit, AssignmentRole role, AssignmentState state, Instant assignedAt) {
}
