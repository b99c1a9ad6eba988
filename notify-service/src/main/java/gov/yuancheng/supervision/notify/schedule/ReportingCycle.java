package gov.yuancheng.supervision.notify.schedule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.TemporalAdjusters;

/** 报送周期: when periodic progress reports fall due. {@code dueDay} is 1-7 (Monday=1) for WEEKLY, else a day of month. */
public record ReportingCycle(String kind, Integer dueDay) {

    public static final ReportingCycle NONE = new ReportingCycle("NONE", null);

    public boolean none() {
        return kind == null || "NONE".equals(kind);
    }

    /** The first due date strictly after {@code after}; null when there is no cycle. */
    public LocalDate nextAfter(LocalDate after) {
        return switch (kind == null ? "NONE" : kind) {
            case "WEEKLY" -> after.with(TemporalAdjusters.next(DayOfWeek.of(day(5, 7))));
            case "MONTHLY" -> monthly(after, 1);
            case "QUARTERLY" -> monthly(after, 3);
            case "HALF_MONTHLY" -> halfMonthly(after);
            default -> null;
        };
    }

    private int day(int fallback, int max) {
        int d = dueDay == null ? fallback : dueDay;
        return Math.max(1, Math.min(max, d));
    }

    private LocalDate monthly(LocalDate after, int everyMonths) {
        YearMonth month = YearMonth.from(after);
        while (true) {
            if (month.getMonthValue() % everyMonths == 0) {
                LocalDate candidate = month.atDay(Math.min(day(25, 31), month.lengthOfMonth()));
                if (candidate.isAfter(after)) {
                    return candidate;
                }
            }
            month = month.plusMonths(1);
        }
    }

    private LocalDate halfMonthly(LocalDate after) {
        int first = ((day(15, 31) - 1) % 15) + 1;
        YearMonth month = YearMonth.from(after);
        while (true) {
            for (int d : new int[] {first, first + 15}) {
                LocalDate candidate = month.atDay(Math.min(d, month.lengthOfMonth()));
                if (candidate.isAfter(after)) {
                    return candidate;
                }
            }
            month = month.plusMonths(1);
        }
    }
}
