package gov.yuancheng.supervision.task.domain;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/**
 * 报送周期: how often a unit must report, and the day a report falls due (1-7, Monday = 1, for weekly;
 * the day of the month otherwise, capped at the month's length; half-monthly reports fall due on
 * that day and fifteen days later).
 */
public record ReportingCycle(Kind kind, int dueDay) {

    public static final ReportingCycle NONE = new ReportingCycle(Kind.NONE, 0);

    public enum Kind {
        NONE, WEEKLY, HALF_MONTHLY, MONTHLY, QUARTERLY
    }

    public ReportingCycle {
        if (kind == null) {
            kind = Kind.NONE;
        }
        if (kind == Kind.WEEKLY && (dueDay < 1 || dueDay > 7)) {
            throw new IllegalArgumentException("A weekly report falls due on a day of the week, 1 (Monday) to 7.");
        }
        if ((kind == Kind.MONTHLY || kind == Kind.QUARTERLY) && (dueDay < 1 || dueDay > 31)) {
            throw new IllegalArgumentException("A monthly or quarterly report falls due on a day of the month, 1 to 31.");
        }
        if (kind == Kind.HALF_MONTHLY && (dueDay < 1 || dueDay > 15)) {
            throw new IllegalArgumentException("A half-monthly report falls due on a day from 1 to 15 (and 15 days later).");
        }
    }

    /** The latest due date on or before {@code today}, or null when no report is due by cycle. */
    public LocalDate lastDueOnOrBefore(LocalDate today) {
        return switch (kind) {
            case NONE -> null;
            case WEEKLY -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.of(dueDay)));
            case MONTHLY -> monthly(today, 1);
            case QUARTERLY -> monthly(today, 3);
            case HALF_MONTHLY -> {
                LocalDate second = dayOfMonth(today, dueDay + 15);
                LocalDate first = dayOfMonth(today, dueDay);
                if (!second.isAfter(today)) {
                    yield second;
                }
                if (!first.isAfter(today)) {
                    yield first;
                }
                yield dayOfMonth(today.minusMonths(1), dueDay + 15);
            }
        };
    }

    /** The due date before {@code due}: the start of the period that a report on {@code due} covers. */
    public LocalDate previousDue(LocalDate due) {
        return switch (kind) {
            case NONE -> null;
            case WEEKLY -> due.minusWeeks(1);
            case MONTHLY -> dayOfMonth(due.minusMonths(1), dueDay);
            case QUARTERLY -> dayOfMonth(due.minusMonths(3), dueDay);
            case HALF_MONTHLY -> lastDueOnOrBefore(due.minusDays(1));
        };
    }

    private LocalDate monthly(LocalDate today, int months) {
        LocalDate candidate = dayOfMonth(today, dueDay);
        if (months == 3) {
            int monthInQuarter = (today.getMonthValue() - 1) % 3;
            candidate = dayOfMonth(today.minusMonths(monthInQuarter), dueDay);
        }
        return candidate.isAfter(today) ? dayOfMonth(candidate.minusMonths(months), dueDay) : candidate;
    }

    private static LocalDate dayOfMonth(LocalDate inMonth, int day) {
        return inMonth.withDayOfMonth(Math.min(day, inMonth.lengthOfMonth()));
    }
}
