package gov.yuancheng.supervision.task.web;

import java.time.LocalDate;
import java.util.List;

import gov.yuancheng.supervision.task.domain.Milestone;
import gov.yuancheng.supervision.task.domain.NewTask;
import gov.yuancheng.supervision.task.domain.Priority;
import gov.yuancheng.supervision.task.domain.ReportingCycle;
import gov.yuancheng.supervision.task.domain.Source;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The request bodies of the task API; every field is typed and bounded. */
final class TaskRequests {

    static final String UNIT_CODE = "[a-z][a-z0-9]*(-[a-z0-9]+)+";
    static final String UNIT_MESSAGE = "must be a unit code such as dept-fgj or town-yuannan";
    static final String ID = "[A-Za-z0-9-]{1,64}";

    private TaskRequests() {
    }

    record SourceBody(@NotNull Source.Kind kind, @Size(max = 200) String reference) {
    }

    record CycleBody(@NotNull ReportingCycle.Kind kind, @Min(0) @Max(31) Integer dueDay) {
    }

    record MilestoneBody(@NotBlank @Size(max = 200) String title, @NotNull LocalDate date) {
    }

    record Register(
            @Pattern(regexp = ID) String parentId,
            @NotBlank @Size(max = 200) String title,
            @Size(max = 5000) String description,
            @Valid SourceBody source,
            @NotBlank @Size(max = 40) @Pattern(regexp = "[a-z][a-z0-9-]*", message = "must be a category code such as urban-economy") String category,
            Priority priority,
            @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "must be a user name") String responsibleLeader,
            @NotBlank @Pattern(regexp = UNIT_CODE, message = UNIT_MESSAGE) String leadUnit,
            @Size(max = 30) List<@NotBlank @Pattern(regexp = UNIT_CODE, message = UNIT_MESSAGE) String> coUnits,
            LocalDate deadline,
            @Min(1) @Max(750) Integer deadlineWorkingDays,
            @Valid CycleBody reportingCycle,
            @Size(max = 20) List<@Valid MilestoneBody> milestones) {

        NewTask toCommand() {
            ReportingCycle cycle = reportingCycle == null ? ReportingCycle.NONE
                    : new ReportingCycle(reportingCycle.kind(),
                            reportingCycle.dueDay() == null ? 0 : reportingCycle.dueDay());
            List<Milestone> goals = milestones == null ? List.of()
                    : java.util.stream.IntStream.range(0, milestones.size())
                            .mapToObj(i -> new Milestone("m" + (i + 1), milestones.get(i).title().strip(),
                                    milestones.get(i).date()))
                            .toList();
            return new NewTask(parentId, title.strip(), description == null ? null : description.strip(),
                    source == null ? null : new Source(source.kind(), source.reference()), category, priority,
                    responsibleLeader, leadUnit, coUnits, deadline, deadlineWorkingDays, cycle, goals);
        }
    }

    record Report(@Size(max = 5000) String text, @Min(0) @Max(100) Integer percent, Boolean noChange,
            @Size(max = 20) List<@Pattern(regexp = ID) String> attachmentIds,
            @Size(max = 30) List<@Pattern(regexp = UNIT_CODE, message = UNIT_MESSAGE) String> citedUnits) {

        boolean unchanged() {
            return Boolean.TRUE.equals(noChange);
        }

        List<String> attachments() {
            return attachmentIds == null ? List.of() : attachmentIds;
        }

        List<String> cited() {
            return citedUnits == null ? List.of() : citedUnits;
        }
    }

    record ExtensionRequest(@NotBlank @Size(max = 2000) String reason, @NotNull LocalDate proposedDeadline) {
    }

    record CompletionRequest(@NotBlank @Size(max = 5000) String summary) {
    }

    record Urge(@NotBlank @Size(max = 1000) String message) {
    }

    record Decision(@NotNull Boolean approved, @Size(max = 2000) String reason) {
    }

    record DeadlineChange(@NotNull LocalDate deadline, @NotBlank @Size(max = 2000) String reason) {
    }

    record Evaluation(@NotNull @Min(0) @Max(100) Integer timeliness, @NotNull @Min(0) @Max(100) Integer quality,
            @Size(max = 2000) String comment) {
    }

    record Reason(@NotBlank @Size(max = 2000) String reason) {
    }
}
