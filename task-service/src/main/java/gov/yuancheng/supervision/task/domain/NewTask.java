package gov.yuancheng.supervision.task.domain;

import java.time.LocalDate;
import java.util.List;

/**
 * What the supervision office gives when it registers (立项) and assigns (交办) a task: the deadline
 * either as a date or as a number of working days from today.
 */
public record NewTask(String parentId, String title, String description, Source source, String category,
        Priority priority, String responsibleLeader, String leadUnit, List<String> coUnits, LocalDate deadline,
        Integer deadlineWorkingDays, ReportingCycle reportingCycle, List<Milestone> milestones) {

    public NewTask {
        coUnits = coUnits == null ? List.of() : List.copyOf(coUnits);
        milestones = milestones == null ? List.of() : List.copyOf(milestones);
        reportingCycle = reportingCycle == null ? ReportingCycle.NONE : reportingCycle;
        priority = priority == null ? Priority.NORMAL : priority;
    }
}
