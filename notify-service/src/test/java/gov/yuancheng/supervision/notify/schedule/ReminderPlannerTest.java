package gov.yuancheng.supervision.notify.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import gov.yuancheng.supervision.notify.calendar.CalendarYear;
import gov.yuancheng.supervision.notify.calendar.WorkingDayCalendar;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ReminderPlannerTest {

    static final ScheduleSettings SETTINGS = new ScheduleSettings(ZoneId.of("Asia/Shanghai"), LocalTime.of(9, 0),
            List.of(3, 1), 1, 1, List.of(3, 10), "office-dcs", Duration.ofSeconds(60), Duration.ofMinutes(1),
            Duration.ofMillis(500), 8, 2, 1440, 1, Duration.ofSeconds(20), 20_000);

    /** National Day 2026 as published: 1-7 October off, Sunday 27 September and Saturday 10 October worked. */
    static final WorkingDayCalendar CALENDAR = new WorkingDayCalendar(Map.of(2026, new CalendarYear(2026, 1,
            Set.of(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-02"), LocalDate.parse("2026-10-05"),
                    LocalDate.parse("2026-10-06"), LocalDate.parse("2026-10-07")),
            Set.of(LocalDate.parse("2026-09-27"), LocalDate.parse("2026-10-10")))));

    final ReminderPlanner planner = new ReminderPlanner(SETTINGS);

    static Assignment assignment(LocalDate deadline, Instant assignedAt, ReportingCycle cycle) {
        return new Assignment("a-1", "t-1", "dept-fgj", "LEAD", "推进工业园三期开发建设", deadline, 0, "leader-liu", cycle,
                assignedAt, false, null, Assignment.State.OPEN, 0, List.of());
    }

    @Test
    void aTaskAssignedTwoWorkingDaysAheadIsRemindedAtNineOnTheWorkingDayCalendar() {
        // assigned Friday 25 September 10:00 Beijing; two working days ahead is Monday 28 (Sunday 27 is 调休)
        Instant assigned = Instant.parse("2026-09-25T02:00:00Z");
        Assignment a = assignment(LocalDate.parse("2026-09-28"), assigned, ReportingCycle.NONE);

        List<Reminder> plan = planner.plan(a, CALENDAR, assigned);

        assertThat(plan).extracting(Reminder::kind, Reminder::n, Reminder::dueAt).containsExactlyInAnyOrder(
                tuple(ReminderKind.ACKNOWLEDGE, 0, Instant.parse("2026-09-27T01:00:00Z")),
                tuple(ReminderKind.BEFORE_DEADLINE, 1, Instant.parse("2026-09-27T01:00:00Z")),
                tuple(ReminderKind.DUE_TODAY, 0, Instant.parse("2026-09-28T01:00:00Z")),
                tuple(ReminderKind.OVERDUE, 1, Instant.parse("2026-09-29T01:00:00Z")),
                // three overdue working days: 29 and 30 September, then 8 October after the holiday week
                tuple(ReminderKind.ESCALATION, 3, Instant.parse("2026-10-08T01:00:00Z")),
                // ten: ... 8, 9, Saturday 10 (调休), 12 to 16 October
                tuple(ReminderKind.ESCALATION, 10, Instant.parse("2026-10-16T01:00:00Z")));
        assertThat(plan).as("3 working days before falls before the assignment").noneMatch(
                r -> r.kind() == ReminderKind.BEFORE_DEADLINE && r.n() == 3);
        assertThat(plan).extracting(Reminder::key).doesNotHaveDuplicates();
    }

    @Test
    void withoutThePublishedCalendarMondayToFridayAreTheWorkingDays() {
        Instant assigned = Instant.parse("2026-09-25T02:00:00Z");
        Assignment a = assignment(LocalDate.parse("2026-09-28"), assigned, ReportingCycle.NONE);

        List<Reminder> plan = planner.plan(a, WorkingDayCalendar.mondayToFriday(), assigned);

        assertThat(plan).extracting(Reminder::kind, Reminder::dueAt).contains(
                tuple(ReminderKind.ACKNOWLEDGE, Instant.parse("2026-09-28T01:00:00Z")),
                tuple(ReminderKind.ESCALATION, Instant.parse("2026-10-01T01:00:00Z")));
        assertThat(plan).noneMatch(r -> r.kind() == ReminderKind.BEFORE_DEADLINE);
    }

    @Test
    void overdueRemindersComeEveryWorkingDayOneAtATime() {
        Assignment a = assignment(LocalDate.parse("2026-09-28"), Instant.parse("2026-09-25T02:00:00Z"),
                ReportingCycle.NONE);

        Reminder second = overdue(planner.plan(a, CALENDAR, Instant.parse("2026-09-29T01:00:00Z")));
        Reminder third = overdue(planner.plan(a, CALENDAR, second.dueAt()));

        assertThat(second.dueAt()).isEqualTo("2026-09-30T01:00:00Z");
        assertThat(second.n()).isEqualTo(2);
        assertThat(third.dueAt()).isEqualTo("2026-10-08T01:00:00Z");
        assertThat(third.n()).isEqualTo(3);
    }

    @Test
    void aReminderForAReplacedDeadlineOrAClosedAssignmentNoLongerApplies() {
        Assignment a = assignment(LocalDate.parse("2026-09-28"), Instant.parse("2026-09-25T02:00:00Z"),
                ReportingCycle.NONE);
        Reminder dueToday = planner.plan(a, CALENDAR, Instant.parse("2026-09-25T02:00:00Z")).stream()
                .filter(r -> r.kind() == ReminderKind.DUE_TODAY).findFirst().orElseThrow();
        Assignment moved = new Assignment(a.id(), a.taskId(), a.unit(), a.role(), a.title(), LocalDate.parse("2026-10-30"),
                5, a.responsibleLeader(), a.reportingCycle(), a.assignedAt(), false, null, Assignment.State.OPEN, 5,
                List.of());
        Assignment closed = new Assignment(a.id(), a.taskId(), a.unit(), a.role(), a.title(), a.deadline(), 0,
                a.responsibleLeader(), a.reportingCycle(), a.assignedAt(), false, null, Assignment.State.CLOSED, 7,
                List.of());

        assertThat(planner.stillApplies(dueToday, a)).isTrue();
        assertThat(planner.stillApplies(dueToday, moved)).isFalse();
        assertThat(planner.stillApplies(dueToday, closed)).isFalse();
        assertThat(planner.plan(closed, CALENDAR, a.assignedAt())).isEmpty();
    }

    @Test
    void aMonthlyReportIsRemindedBeforeItsDayAndWhenMissedAndAReportSatisfiesItsPeriod() {
        Instant assigned = Instant.parse("2026-03-02T01:00:00Z");
        Assignment a = assignment(LocalDate.parse("2026-06-30"), assigned, new ReportingCycle("MONTHLY", 25));

        List<Reminder> plan = planner.plan(a, WorkingDayCalendar.mondayToFriday(), assigned);

        assertThat(plan).filteredOn(r -> r.kind().aboutReport())
                .extracting(Reminder::kind, Reminder::reportDate, Reminder::dueAt).containsExactlyInAnyOrder(
                        tuple(ReminderKind.REPORT_DUE, LocalDate.parse("2026-03-25"), Instant.parse("2026-03-24T01:00:00Z")),
                        tuple(ReminderKind.REPORT_MISSED, LocalDate.parse("2026-03-25"), Instant.parse("2026-03-26T01:00:00Z")));
        Reminder missed = plan.stream().filter(r -> r.kind() == ReminderKind.REPORT_MISSED).findFirst().orElseThrow();
        Assignment reported = new Assignment(a.id(), a.taskId(), a.unit(), a.role(), a.title(), a.deadline(), 0,
                a.responsibleLeader(), a.reportingCycle(), a.assignedAt(), true, LocalDate.parse("2026-03-20"),
                Assignment.State.OPEN, 2, List.of());
        assertThat(planner.stillApplies(missed, reported)).isFalse();
        assertThat(planner.plan(reported, WorkingDayCalendar.mondayToFriday(), Instant.parse("2026-03-20T03:00:00Z")))
                .filteredOn(r -> r.kind() == ReminderKind.REPORT_MISSED).extracting(Reminder::reportDate)
                .containsExactly(LocalDate.parse("2026-04-25"));
    }

    @Test
    void anAcknowledgedAssignmentGetsNoAcknowledgeReminder() {
        Instant assigned = Instant.parse("2026-09-25T02:00:00Z");
        Assignment a = assignment(LocalDate.parse("2026-12-31"), assigned, ReportingCycle.NONE);
        Reminder acknowledge = planner.plan(a, CALENDAR, assigned).stream()
                .filter(r -> r.kind() == ReminderKind.ACKNOWLEDGE).findFirst().orElseThrow();
        Assignment acknowledged = new Assignment(a.id(), a.taskId(), a.unit(), a.role(), a.title(), a.deadline(), 0,
                a.responsibleLeader(), a.reportingCycle(), a.assignedAt(), true, null, Assignment.State.OPEN, 1, List.of());

        assertThat(planner.stillApplies(acknowledge, acknowledged)).isFalse();
        assertThat(planner.plan(acknowledged, CALENDAR, assigned)).noneMatch(r -> r.kind() == ReminderKind.ACKNOWLEDGE);
    }

    @Test
    void theLeadUnitIsRemindedTheWorkingDayBeforeEachMilestoneAndCoUnitsAreNot() {
        Instant assigned = Instant.parse("2026-09-25T02:00:00Z");
        Assignment lead = assignment(LocalDate.parse("2026-11-30"), assigned, ReportingCycle.NONE);
        Assignment co = new Assignment("a-2", "t-1", "town-yuannan", "CO", lead.title(), lead.deadline(), 0,
                "leader-liu", ReportingCycle.NONE, assigned, false, null, Assignment.State.OPEN, 0, List.of());
        List<Milestone> milestones = List.of(new Milestone("m1", "完成规划报批", LocalDate.parse("2026-10-08")),
                new Milestone("m2", "完成土地征收", LocalDate.parse("2026-10-08")),
                new Milestone("m3", "完成招商签约", LocalDate.parse("2026-11-13")),
                new Milestone("m0", "完成前期调研", LocalDate.parse("2026-09-25")),
                new Milestone("m9", "全面投产", LocalDate.parse("2026-12-31")));

        List<Reminder> plan = planner.plan(lead, milestones, CALENDAR, assigned).stream()
                .filter(r -> r.kind() == ReminderKind.MILESTONE).toList();

        // Thursday 8 October follows the National Day week: the working day before is Wednesday 30 September
        assertThat(plan).extracting(Reminder::dueAt, Reminder::reportDate, Reminder::message).containsExactly(
                tuple(Instant.parse("2026-09-30T01:00:00Z"), LocalDate.parse("2026-10-08"), "完成规划报批、完成土地征收"),
                tuple(Instant.parse("2026-11-12T01:00:00Z"), LocalDate.parse("2026-11-13"), "完成招商签约"));
        assertThat(planner.plan(co, milestones, CALENDAR, assigned)).noneMatch(r -> r.kind() == ReminderKind.MILESTONE);
        assertThat(planner.stillApplies(plan.get(0), lead)).isTrue();
        Assignment moved = new Assignment(lead.id(), lead.taskId(), lead.unit(), lead.role(), lead.title(),
                LocalDate.parse("2026-12-31"), 7, lead.responsibleLeader(), lead.reportingCycle(), lead.assignedAt(),
                false, null, Assignment.State.OPEN, 7, List.of());
        assertThat(planner.stillApplies(plan.get(0), moved)).as("planned for a replaced deadline").isFalse();
        assertThat(planner.plan(moved, milestones, CALENDAR, assigned)).filteredOn(r -> r.kind() == ReminderKind.MILESTONE)
                .extracting(Reminder::deadlineVersion).containsOnly(7L).hasSize(3);
    }

    private static Reminder overdue(List<Reminder> plan) {
        return plan.stream().filter(r -> r.kind() == ReminderKind.OVERDUE).findFirst().orElseThrow();
    }
}
