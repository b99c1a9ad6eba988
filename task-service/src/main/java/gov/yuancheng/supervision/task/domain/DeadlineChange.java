package gov.yuancheng.supervision.task.domain;

import java.time.Instant;
import java.time.LocalDate;

/** One change of an assignment's deadline; the original and every change are kept. */
public record DeadlineChange(LocalDate before, LocalDate after, Cause cause, String reason, String by, Instant at) {

    public enum Cause {
        EXTENSION_APPROVED, OFFICE_EDIT, CALENDAR_CHANGED
    }
}
