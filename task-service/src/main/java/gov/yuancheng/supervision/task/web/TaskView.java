package gov.yuancheng.supervision.task.web;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import gov.yuancheng.supervision.task.domain.Action;
import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Assignment;
import gov.yuancheng.supervision.task.domain.AssignmentRole;
import gov.yuancheng.supervision.task.domain.AssignmentState;
import gov.yuancheng.supervision.task.domain.DeadlineChange;
import gov.yuancheng.supervision.task.domain.Evaluation;
import gov.yuancheng.supervision.task.domain.ExtensionRequest;
import gov.yuancheng.supervision.task.domain.Light;
import gov.yuancheng.supervision.task.domain.Milestone;
import gov.yuancheng.supervision.task.domain.Priority;
import gov.yuancheng.supervision.task.domain.ProgressReport;
import gov.yuancheng.supervision.task.domain.ReportingCycle;
import gov.yuancheng.supervision.task.domain.Review;
import gov.yuancheng.supervision.task.domain.Source;
import gov.yuancheng.supervision.task.domain.Task;
import gov.yuancheng.supervision.task.domain.TaskStatus;
import gov.yuancheng.supervision.task.domain.Urge;

/**
 * A task as the caller may see it: a unit sees only its own assignment; everyone sees what they may
 * do next. The outbox and storage details stay inside.
 */
record TaskView(String id, long version, String parentId, String title, String description, Source source,
        String category, Priority priority, String responsibleLeader, String leadUnit, List<String> coUnits,
        LocalDate deadline, Integer deadlineWorkingDays, ReportingCycle reportingCycle, List<Milestone> milestones,
        TaskStatus status, String statusReason, Light light, int progress, List<AssignmentView> assignments,
        Evaluation evaluation, String createdBy, Instant createdAt, Instant updatedAt, Set<Action> allowedActions) {

    static TaskView of(Task task, Actor actor) {
        return new TaskView(task.id(), task.version() == null ? 0 : task.version(), task.parentId(), task.title(),
                task.description(), task.source(), task.category(), task.priority(), task.responsibleLeader(),
                task.leadUnit(), task.coUnits(), task.deadline(), task.deadlineWorkingDays(), task.reportingCycle(),
                task.milestones(), task.status(), task.statusReason(), task.light(), task.progress(),
                task.assignmentsVisibleTo(actor).stream().map(AssignmentView::of).toList(), task.evaluation(),
                task.createdBy() == null ? null : task.createdBy().name(), task.createdAt(), task.updatedAt(),
                task.allowedActions(actor));
    }

    record AssignmentView(String id, String unit, AssignmentRole role, AssignmentState state, Light light,
            LocalDate originalDeadline, LocalDate deadline, int percent, Instant assignedAt, Instant acknowledgedAt,
            List<ProgressReport> reports, List<ExtensionRequest> extensionRequests, List<DeadlineChange> deadlineChanges,
            String completionSummary, Instant completionRequestedAt, List<Review> reviews, Instant completedAt,
            List<Urge> urges) {

        static AssignmentView of(Assignment a) {
            return new AssignmentView(a.id(), a.unit(), a.role(), a.state(), a.light(), a.originalDeadline(),
                    a.deadline(), a.percent(), a.assignedAt(), a.acknowledgedAt(), a.reports(), a.extensionRequests(),
                    a.deadlineChanges(), a.completionSummary(), a.completionRequestedAt(), a.reviews(),
                    a.completedAt(), a.urges());
        }
    }
}
