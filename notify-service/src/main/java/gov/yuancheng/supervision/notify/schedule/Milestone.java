package gov.yuancheng.supervision.notify.schedule;

import java.time.LocalDate;

/** A stage of a task (阶段节点) with the date it is due, as task-service registered it. */
public record Milestone(String id, String title, LocalDate date) {
}
