package gov.yuancheng.supervision.task.domain;

import java.time.LocalDate;

/** 阶段目标: an intermediate goal with its own date. */
public record Milestone(String id, String title, LocalDate date) {
}
