package gov.yuancheng.supervision.task.calendar;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkingCalendarTest {

    static final WorkingCalendar SPRING_FESTIVAL_2026 = new WorkingCalendar(List.of(new CalendarYear(2026, 0L,
            dates("2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21",
                    "2026-02-22", "2026-02-23"),
            dates("2026-02-14", "2026-02-28"), "国务院办公厅通知", List.of())));

    static List<LocalDate> dates(String... days) {
        return java.util.Arrays.stream(days).map(LocalDate::parse).toList();
    }

    @Test
    void holidaysAreRestDaysAndAdjustedWeekendsAreWorkingDays() {
        assertThat(SPRING_FESTIVAL_2026.isWorkingDay(LocalDate.parse("2026-02-16"))).as("Monday in the holiday").isFalse();
        assertThat(SPRING_FESTIVAL_2026.isWorkingDay(LocalDate.parse("2026-02-14"))).as("调休 Saturday").isTrue();
        assertThat(SPRING_FESTIVAL_2026.isWorkingDay(LocalDate.parse("2026-03-07"))).as("plain Saturday").isFalse();
    }

    @Test
    void workingDaysAreCountedAcrossTheSpringFestival() {
        // Friday 13 Feb + 3 working days: Saturday 14 (调休), then Tuesday 24, Wednesday 25.
        assertThat(SPRING_FESTIVAL_2026.addWorkingDays(LocalDate.parse("2026-02-13"), 3))
                .isEqualTo(LocalDate.parse("2026-02-25"));
        assertThat(SPRING_FESTIVAL_2026.workingDaysBetween(LocalDate.parse("2026-02-13"), LocalDate.parse("2026-02-25")))
                .isEqualTo(3);
        assertThat(SPRING_FESTIVAL_2026.workingDaysBetween(LocalDate.parse("2026-02-25"), LocalDate.parse("2026-02-13")))
                .isEqualTo(-3);
    }

    @Test
    void yearsWithoutACalendarCountMondayToFriday() {
        WorkingCalendar none = WorkingCalendar.weekdaysOnly();

        assertThat(none.addWorkingDays(LocalDate.parse("2027-01-01"), 1)).isEqualTo(LocalDate.parse("2027-01-04"));
    }

    @Test
    void theShippedCalendarsAreWellFormed() throws Exception {
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        for (int year : CalendarStore.SHIPPED_YEARS) {
            var node = json.readTree(getClass().getResourceAsStream("/calendar/" + year + ".json"));
            List<LocalDate> holidays = new java.util.ArrayList<>();
            node.get("holidays").forEach(d -> holidays.add(LocalDate.parse(d.asString())));
            List<LocalDate> workdays = new java.util.ArrayList<>();
            node.get("workdays").forEach(d -> workdays.add(LocalDate.parse(d.asString())));

            assertThat(holidays).allMatch(d -> d.getYear() == year).doesNotHaveDuplicates();
            assertThat(workdays).allMatch(d -> d.getYear() == year)
                    .allMatch(d -> d.getDayOfWeek().getValue() >= 6, "adjusted working days fall on weekends");
            assertThat(holidays).doesNotContainAnyElementsOf(workdays);
        }
    }
}
