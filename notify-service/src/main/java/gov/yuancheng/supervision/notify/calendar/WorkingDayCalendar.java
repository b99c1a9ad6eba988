package gov.yuancheng.supervision.notify.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

/**
 * Working days as task-service publishes them: weekends are rest days except the listed adjusted working
 * days (调休), and the listed holidays are rest days. A year whose calendar has not arrived yet falls back to
 * Monday to Friday; its schedules are recomputed when the calendar arrives.
 */
public final class WorkingDayCalendar {

    private final Map<Integer, CalendarYear> years;

    public WorkingDayCalendar(Map<Integer, CalendarYear> years) {
        this.years = Map.copyOf(years);
    }

    public static WorkingDayCalendar mondayToFriday() {
        return new WorkingDayCalendar(Map.of());
    }

    public boolean isPublished(int year) {
        return years.containsKey(year);
    }

    public boolean isWorkingDay(LocalDate day) {
        CalendarYear year = years.get(day.getYear());
        Set<LocalDate> holidays = year == null ? Set.of() : year.holidays();
        Set<LocalDate> workdays = year == null ? Set.of() : year.workdays();
        if (holidays.contains(day)) {
            return false;
        }
        boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
        return !weekend || workdays.contains(day);
    }

    /** The working day {@code n} working days before {@code day} (which need not be a working day). */
    public LocalDate workingDaysBefore(LocalDate day, int n) {
        LocalDate d = day;
        int left = n;
        while (left > 0) {
            d = d.minusDays(1);
            if (isWorkingDay(d)) {
                left--;
            }
        }
        return d;
    }

    /** The working day {@code n} working days after {@code day}. */
    public LocalDate workingDaysAfter(LocalDate day, int n) {
        LocalDate d = day;
        int left = n;
        while (left > 0) {
            d = d.plusDays(1);
            if (isWorkingDay(d)) {
                left--;
            }
        }
        return d;
    }

    /** {@code day} itself when it is a working day, else the next working day. */
    public LocalDate onOrAfter(LocalDate day) {
        return isWorkingDay(day) ? day : workingDaysAfter(day, 1);
    }
}
