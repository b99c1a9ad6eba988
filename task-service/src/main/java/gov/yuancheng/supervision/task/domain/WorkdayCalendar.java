package gov.yuancheng.supervision.task.domain;

import java.time.LocalDate;

/** The working-day calendar as the task rules need it (see the calendar package for the data). */
public interface WorkdayCalendar {

    boolean isWorkingDay(LocalDate date);

    /** The date {@code n} working days after {@code start}, start not counted. */
    LocalDate addWorkingDays(LocalDate start, int n);

    /** Working days after {@code from} up to and including {@code to}; negative when {@code to} is earlier. */
    int workingDaysBetween(LocalDate from, LocalDate to);
}
