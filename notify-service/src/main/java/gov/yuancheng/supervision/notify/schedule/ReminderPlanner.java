package gov.yuancheng.supervision.notify.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import gov.yuancheng.supervision.notify.calendar.WorkingDayCalendar;

/**
 * Which reminders an assignment is owed, as a pure function of its state, the calendar and an instant
 * {@code from}: every reminder due after {@code from}, except that recurring ones (daily overdue, periodic
 * reports) give only their next occurrence; the next one is planned when that one is sent.
 */
public final class ReminderPlanner {

    private final ScheduleSettings settings;

    public ReminderPlanner(ScheduleSettings settings) {
        this.settings = settings;
    }

    public List<Reminder> plan(Assignment a, WorkingDayCalendar calendar, Instant from) {
        return plan(a, List.of(), calendar, from);
    }

    /**
     * As {@link #plan(Assignment, WorkingDayCalendar, Instant)}, and for the lead unit one reminder before each
     * of the task's milestones that falls on or before the deadline (milestones due the same day share one).
     */
    public List<Reminder> plan(Assignment a, List<Milestone> milestones, WorkingDayCalendar calendar, Instant from) {
        List<Reminder> plan = new ArrayList<>();
        if (a.state() != Assignment.State.OPEN || a.deadline() == null) {
            return plan;
        }
        if (!a.acknowledged() && a.assignedAt() != null) {
            LocalDate day = calendar.workingDaysAfter(localDate(a.assignedAt()), settings.acknowledgeWithinWorkingDays());
            add(plan, a, ReminderKind.ACKNOWLEDGE, 0, null, day, from);
        }
        for (int n : settings.daysBefore()) {
            add(plan, a, ReminderKind.BEFORE_DEADLINE, n, null, calendar.workingDaysBefore(a.deadline(), n), from);
        }
        add(plan, a, ReminderKind.DUE_TODAY, 0, null, a.deadline(), from);
        for (int n : settings.escalateAfterOverdueDays()) {
            add(plan, a, ReminderKind.ESCALATION, n, null, calendar.workingDaysAfter(a.deadline(), n), from);
        }
        nextOverdue(plan, a, calendar, from);
        nextReport(plan, a, calendar, from);
        milestones(plan, a, milestones, calendar, from);
        return plan;
    }

    private void milestones(List<Reminder> plan, Assignment a, List<Milestone> milestones, WorkingDayCalendar calendar,
            Instant from) {
        if (!"LEAD".equals(a.role()) || milestones == null) {
            return;
        }
        Map<LocalDate, List<String>> byDate = new TreeMap<>();
        for (Milestone m : milestones) {
            if (m != null && m.date() != null && !m.date().isAfter(a.deadline())) {
                byDate.computeIfAbsent(m.date(), d -> new ArrayList<>()).add(m.title() == null ? "" : m.title());
            }
        }
        byDate.forEach((date, titles) -> {
            Instant due = at(calendar.workingDaysBefore(date, settings.milestoneLeadWorkingDays()));
            if (due.isAfter(from)) {
                plan.add(new Reminder(Reminder.key(a.id(), a.deadlineVersion(), ReminderKind.MILESTONE, due), a.id(),
                        a.taskId(), a.unit(), a.title(), ReminderKind.MILESTONE, 0, a.deadlineVersion(), a.deadline(),
                        date, due, Reminder.Status.PENDING, null, false, a.responsibleLeader(), String.join("、", titles)));
            }
        });
    }

    /** Whether a stored reminder still applies to the assignment as it is now; checked again just before sending. */
    public boolean stillApplies(Reminder r, Assignment a) {
        if (r.kind() == ReminderKind.URGE) {
            return a == null || a.state() != Assignment.State.CLOSED;
        }
        if (a == null || a.state() != Assignment.State.OPEN || r.deadlineVersion() != a.deadlineVersion()) {
            return false;
        }
        if (r.kind() == ReminderKind.ACKNOWLEDGE) {
            return !a.acknowledged();
        }
        if (r.kind().aboutReport()) {
            LocalDate satisfied = lastSatisfiedReport(a);
            return satisfied == null || r.reportDate().isAfter(satisfied);
        }
        return true;
    }

    public Instant at(LocalDate day) {
        return day.atTime(settings.sendTime()).atZone(settings.zone()).toInstant();
    }

    public ZoneId zone() {
        return settings.zone();
    }

    LocalDate localDate(Instant instant) {
        return instant.atZone(settings.zone()).toLocalDate();
    }

    private void nextOverdue(List<Reminder> plan, Assignment a, WorkingDayCalendar calendar, Instant from) {
        LocalDate day = calendar.workingDaysAfter(a.deadline(), 1);
        LocalDate fromDay = localDate(from);
        if (fromDay.isAfter(day)) {
            day = calendar.onOrAfter(fromDay);
        }
        while (!at(day).isAfter(from)) {
            day = calendar.workingDaysAfter(day, 1);
        }
        int overdueDays = 0;
        for (LocalDate d = a.deadline(); d.isBefore(day); d = calendar.workingDaysAfter(d, 1)) {
            overdueDays++;
        }
        add(plan, a, ReminderKind.OVERDUE, overdueDays, null, day, from);
    }

    private void nextReport(List<Reminder> plan, Assignment a, WorkingDayCalendar calendar, Instant from) {
        ReportingCycle cycle = a.reportingCycle();
        if (cycle.none() || a.assignedAt() == null) {
            return;
        }
        LocalDate satisfied = lastSatisfiedReport(a);
        LocalDate due = cycle.nextAfter(satisfied);
        while (due != null && !due.isAfter(a.deadline())) {
            LocalDate missedDay = calendar.workingDaysAfter(due, 1);
            if (at(missedDay).isAfter(from)) {
                add(plan, a, ReminderKind.REPORT_DUE, 0, due,
                        calendar.workingDaysBefore(due, settings.reportLeadWorkingDays()), from);
                add(plan, a, ReminderKind.REPORT_MISSED, 0, due, missedDay, from);
                return;
            }
            due = cycle.nextAfter(due);
        }
    }

    /**
     * The last report due date already satisfied: a report on day r satisfies the period that ends on the
     * first due date on or after r. Without reports, the assignment day (the first report falls after it).
     */
    LocalDate lastSatisfiedReport(Assignment a) {
        if (a.reportingCycle().none()) {
            return null;
        }
        if (a.lastReportDate() != null) {
            return a.reportingCycle().nextAfter(a.lastReportDate().minusDays(1));
        }
        return a.assignedAt() == null ? null : localDate(a.assignedAt());
    }

    private void add(List<Reminder> plan, Assignment a, ReminderKind kind, int n, LocalDate reportDate, LocalDate day,
            Instant from) {
        Instant due = at(day);
        if (due.isAfter(from)) {
            plan.add(new Reminder(Reminder.key(a.id(), a.deadlineVersion(), kind, due), a.id(), a.taskId(), a.unit(),
                    a.title(), kind, n, a.deadlineVersion(), a.deadline(), reportDate, due, Reminder.Status.PENDING,
                    null, false, a.responsibleLeader(), null));
        }
    }
}
