package gov.yuancheng.supervision.task.store;

import java.time.LocalDate;

import gov.yuancheng.supervision.task.domain.Light;
import gov.yuancheng.supervision.task.domain.Source;
import gov.yuancheng.supervision.task.domain.TaskStatus;

/** Typed search values: each becomes an equality or range on a field, never a raw query fragment. */
public record TaskQuery(TaskStatus status, String category, String unit, Light light, Source.Kind source,
        String leader, LocalDate deadlineFrom, LocalDate deadlineTo, String text, String parentId) {

    public static final TaskQuery ALL = new TaskQuery(null, null, null, null, null, null, null, null, null, null);
}
