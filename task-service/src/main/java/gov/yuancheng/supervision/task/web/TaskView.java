package gov.yuancheng.supervision.task.web;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import gov.yuancheng.supervision.task.domain.Assignment;
import gov.yuancheng.supervision.task.domain.Task;
import gov.yuancheng.supervision.task.domain.TaskStatus;

/** A task as the API shows it: the outbox and storage details stay inside. */
record TaskView(String id, long version, String title, String description, String leadUnit, List<String> coUnits,
        LocalDate deadline, String responsibleLeader, TaskStatus status, List<Assignment> assignments,
        String createdBy, Instant createdAt) {

    static TaskView of(Task task) {
        return new TaskView(task.id(), task.version() == null ? 0 : task.version(), task.title(), task.description(),
                task.leadUnit(), task.coUnits(), task.deadline(), task.responsibleLeader(), task.status(),
                task.assignments(), task.createdBy() == null ? null : task.createdBy().name(), task.createdAt());
    }
}
