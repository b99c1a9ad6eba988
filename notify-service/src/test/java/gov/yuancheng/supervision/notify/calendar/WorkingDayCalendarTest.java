package gov.yuancheng.supervision.notify.calendar;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkingDayCalendarTest {

    static final CalendarYear NATIONAL_DAY_2026 = new CalendarYear(2026, 1,
            Set.of(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-02"), LocalDate.parse("2026-10-05"),
                    LocalDate.parse("2026-10-06"), LocalDate.parse("2026-10-07")),
            Set.of(LocalDate.parse("2026-09-27"), LocalDate.parse("2026-10-10")));

    final WorkingDayCalendar calendar = new WorkingDayCalendar(Map.of(2026, NATIONAL_DAY_2026));

    @Test
    void listedHolidaysAreRestDaysAndListedWeekendDaysAreWorkingDays() {
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-10-01"))).isFalse();
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-09-27"))).as("调休 Sunday").isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-10-03"))).as("plain Saturday").isFalse();
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-09-29"))).isTrue();
    }

    @Test
    void countingWorkingDaysSkipsTheHolidayWeek() {
        assertThat(calendar.workingDaysAfter(LocalDate.parse("2026-09-30"), 1)).isEqualTo("2026-10-08");
        assertThat(calendar.workingDaysBefore(LocalDate.parse("2026-10-08"), 1)).isEqualTo("2026-09-30");
        assertThat(calendar.workingDaysAfter(LocalDate.parse("2026-09-25"), 1)).isEqualTo("2026-09-27");
    }

    @Test
    void aYearWithoutAPublishedCalendarFallsBackToMondayToFriday() {
        WorkingDayCalendar fallback = WorkingDayCalendar.mondayToFriday();
        assertThat(fallback.isPublished(2026)).isFalse();
        assertThat(fallback.isWorkingDay(LocalDate.parse("2026-10-01"))).as("a Thursday").isTrue();
        assertThat(fallback.isWorkingDay(LocalDate.parse("2026-09-27"))).as("a Sunday").isFalse();
        assertThat(calendar.isWorkingDay(LocalDate.parse("2027-01-01"))).as("2027 not published: a Friday").isTrue();
    }
}
