package gov.yuancheng.supervision.task.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import gov.yuancheng.supervision.task.domain.WorkdayCalendar;

/**
 * 工作日: Monday to Friday, except public holidays, plus the weekend days the State Council's notice
 * makes working days (调休). Years without a published calendar count Monday to Friday.
 */
public final class WorkingCalendar implements WorkdayCalendar {

    private final Map<Integer, CalendarYear> years;
    private final Set<LocalDate> holidays = new HashSet<>();
    private final Set<LocalDate> workdays = new HashSet<>();

    public WorkingCalendar(Collection<CalendarYear> years) {
        this.years = new TreeMap<>();
        for (CalendarYear year : years) {
            this.years.put(year.year(), year);
            holidays.addAll(year.holidays());
            workdays.addAll(year.workdays());
        }
    }

    public static WorkingCalendar weekdaysOnly() {
        return new WorkingCalendar(Set.of());
    }

    @Override
    public boolean isWorkingDay(LocalDate date) {
        if (workdays.contains(date)) {
            return true;
        }
        if (holidays.contains(date)) {
            return false;
        }
        DayOfWeek day = date.getDayOfWeek();
        return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
    }

    /** The date that lies {@code n} working days after {@code start} (start itself not counted). */
    @Override
    public LocalDate addWorkingDays(LocalDate start, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("A number of working days cannot be negative.");
        }
        LocalDate date = start;
        int left = n;
        while (left > 0) {
            date = date.plusDays(1);
            if (isWorkingDay(date)) {
                left--;
            }
        }
        return date;
    }

    /**
     * Working days from {@code from} (exclusive) to {@code to} (inclusive); negative when {@code to}
     * lies before {@code from}, counting the working days in between.
     */
    @Override
    public int workingDaysBetween(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            return -workingDaysBetween(to, from);
        }
        int count = 0;
        for (LocalDate date = from.plusDays(1); !date.isAfter(to); date = date.plusDays(1)) {
            if (isWorkingDay(date)) {
                count++;
            }
        }
        return count;
    }

    public Map<Integer, CalendarYear> years() {
        return Map.copyOf(years);
    }
}
