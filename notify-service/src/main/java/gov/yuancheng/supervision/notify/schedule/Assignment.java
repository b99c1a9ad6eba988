package gov.yuancheng.supervision.notify.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * This service's view of one open assignment (交办), kept from task events. {@code deadlineVersion} is the
 * task version at which the current deadline was set: reminders carry it in their keys, so a reminder for
 * a replaced deadline can be told apart and never sent. {@code appliedVersion} drops stale redeliveries.
 */
@Document("assignments")
public record Assignment(@Id String id, String taskId, String unit, String role, String title, LocalDate deadline,
        long deadlineVersion, String responsibleLeader, ReportingCycle reportingCycle, Instant assignedAt,
        boolean acknowledged, LocalDate lastReportDate, State state, long appliedVersion, List<String> reminderKeys) {

    public enum State {
        OPEN, SUSPENDED, IN_REVIEW, CLOSED
    }

    public Assignment {
        reportingCycle = reportingCycle == null ? ReportingCycle.NONE : reportingCycle;
        reminderKeys = reminderKeys == null ? List.of() : List.copyOf(reminderKeys);
    }
}
