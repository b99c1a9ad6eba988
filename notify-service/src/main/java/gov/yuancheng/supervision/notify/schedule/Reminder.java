package gov.yuancheng.supervision.notify.schedule;

import java.time.Instant;
import java.time.LocalDate;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One reminder, stored before it is due. Its id is its key: assignment, deadline version, kind and due
 * instant, so planning the same reminder twice (a redelivered event, a second replica) finds it there.
 */
@Document("reminders")
public record Reminder(@Id String key, String assignmentId, String taskId, String unit, String title,
        ReminderKind kind, int n, long deadlineVersion, LocalDate deadline, LocalDate reportDate, Instant dueAt,
        Status status, Instant sentAt, boolean late, String responsibleLeader, String message) {

    public enum Status {
        PENDING, SENT, CANCELLED
    }

    public static String key(String assignmentId, long deadlineVersion, ReminderKind kind, Instant dueAt) {
        return assignmentId + "|" + deadlineVersion + "|" + kind + "|" + dueAt;
    }

    public Reminder withStatus(Status newStatus) {
        return new Reminder(key, assignmentId, taskId, unit, title, kind, n, deadlineVersion, deadline, reportDate,
                dueAt, newStatus, sentAt, late, responsibleLeader, message);
    }
}
