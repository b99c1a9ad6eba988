package gov.yuancheng.supervision.notify.schedule;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import gov.yuancheng.supervision.notify.calendar.Calendars;
import gov.yuancheng.supervision.notify.calendar.WorkingDayCalendar;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The schedule of every assignment: applies what task events say and keeps its stored reminders in line.
 * Without multi-document transactions the order of writes carries the guarantees: the assignment's
 * fields change first, then reminders that no longer apply are cancelled; and the sweeper checks each
 * reminder against the assignment once more just before it sends.
 */
@Component
public class Schedules {

    private final MongoTemplate mongo;
    private final ReminderStore reminders;
    private final Calendars calendars;
    private final ReminderPlanner planner;
    private final Clock clock;

    public Schedules(MongoTemplate mongo, ReminderStore reminders, Calendars calendars, ScheduleSettings settings,
            Clock clock) {
        this.mongo = mongo;
        this.reminders = reminders;
        this.calendars = calendars;
        this.planner = new ReminderPlanner(settings);
        this.clock = clock;
    }

    public ReminderPlanner planner() {
        return planner;
    }

    public Assignment find(String assignmentId) {
        return mongo.findById(assignmentId, Assignment.class);
    }

    public List<Assignment> findAll(List<String> assignmentIds) {
        return mongo.find(new Query(Criteria.where("_id").in(assignmentIds)), Assignment.class);
    }

    public List<Assignment> ofTask(String taskId) {
        return mongo.find(new Query(Criteria.where("taskId").is(taskId)), Assignment.class);
    }

    /** Records a new assignment (or a redelivered one) and plans its reminders from the moment it was assigned. */
    public void assign(Assignment assignment, Instant at) {
        Assignment stored = find(assignment.id());
        if (stored != null && stored.appliedVersion() > assignment.appliedVersion()) {
            return;
        }
        mongo.upsert(new Query(Criteria.where("_id").is(assignment.id())), fields(assignment), Assignment.class);
        replan(assignment.id(), at);
    }

    /**
     * Applies a change caused by an event of task version {@code version}; an older version than the one
     * already applied is a stale redelivery and changes nothing. Returns false when the assignment is unknown.
     */
    public boolean change(String assignmentId, long version, Instant at, UnaryOperator<Assignment> change) {
        Assignment stored = find(assignmentId);
        if (stored == null) {
            return false;
        }
        if (version < stored.appliedVersion()) {
            return true;
        }
        Assignment changed = change.apply(stored);
        changed = new Assignment(changed.id(), changed.taskId(), changed.unit(), changed.role(), changed.title(),
                changed.deadline(), changed.deadlineVersion(), changed.responsibleLeader(), changed.reportingCycle(),
                changed.assignedAt(), changed.acknowledged(), changed.lastReportDate(), changed.state(), version,
                changed.reminderKeys());
        mongo.updateFirst(new Query(Criteria.where("_id").is(assignmentId)), fields(changed), Assignment.class);
        replan(assignmentId, at);
        return true;
    }

    /**
     * Plans what the assignment is owed from {@code from} on and cancels every pending reminder that no
     * longer applies: one of a replaced deadline, an acknowledged assignment, a satisfied report period,
     * a closed or paused assignment, or one due later that the new plan does not have.
     */
    public void replan(String assignmentId, Instant from) {
        Assignment a = find(assignmentId);
        if (a == null) {
            return;
        }
        WorkingDayCalendar calendar = calendars.current();
        List<Reminder> plan = planner.plan(a, milestonesFor(a), calendar, from);
        Set<String> planned = new HashSet<>();
        plan.forEach(r -> planned.add(r.key()));
        List<String> finished = new ArrayList<>();
        for (Reminder old : reminders.findAll(a.reminderKeys())) {
            if (old.status() == Reminder.Status.PENDING && !planned.contains(old.key())
                    && (!planner.stillApplies(old, a) || old.dueAt().isAfter(from))) {
                reminders.cancel(old.key());
                finished.add(old.key());
            }
            else if (old.status() != Reminder.Status.PENDING && !planned.contains(old.key())) {
                finished.add(old.key());
            }
        }
        if (!finished.isEmpty()) {
            mongo.updateFirst(new Query(Criteria.where("_id").is(assignmentId)),
                    new Update().pullAll("reminderKeys", finished.toArray()), Assignment.class);
        }
        addAll(a, plan);
    }

    /**
     * After a recurring reminder (overdue, periodic report) went out: plans its next occurrence, cancelling
     * nothing. One-shot reminders are all planned up front, so they are left out here.
     */
    public void extend(String assignmentId, Instant from) {
        Assignment a = find(assignmentId);
        if (a != null) {
            addAll(a, planner.plan(a, milestonesFor(a), calendars.current(), from).stream()
                    .filter(r -> r.kind().recurring()).toList());
        }
    }

    /**
     * Keeps the milestones a task was registered with and plans their reminders for the task's lead assignment, in
     * case it is already known (registration normally comes first). Storing the same milestones again changes nothing.
     */
    public void milestones(String taskId, List<Milestone> milestones, Instant at) {
        if (milestones == null || milestones.isEmpty()) {
            return;
        }
        mongo.save(new TaskMilestones(taskId, milestones));
        for (Assignment a : ofTask(taskId)) {
            if ("LEAD".equals(a.role())) {
                replan(a.id(), at);
            }
        }
    }

    private List<Milestone> milestonesFor(Assignment a) {
        if (!"LEAD".equals(a.role())) {
            return List.of();
        }
        TaskMilestones stored = mongo.findById(a.taskId(), TaskMilestones.class);
        return stored == null ? List.of() : stored.milestones();
    }

    /** Every open assignment, planned again: a calendar arrived or changed. */
    public int replanOpen(Instant from) {
        int count = 0;
        for (Assignment a : mongo.find(new Query(Criteria.where("state").is(Assignment.State.OPEN)), Assignment.class)) {
            replan(a.id(), from);
            count++;
        }
        return count;
    }

    /** An urge (催办): a reminder due at once, keyed by the instant of the urge so that a redelivery is the same one. */
    public Reminder urge(String assignmentId, String taskId, String unit, String message, Instant at) {
        Assignment a = find(assignmentId);
        long deadlineVersion = a == null ? -1 : a.deadlineVersion();
        Reminder urge = new Reminder(Reminder.key(assignmentId, deadlineVersion, ReminderKind.URGE, at), assignmentId,
                taskId, unit, a == null ? "" : a.title(), ReminderKind.URGE, 0, deadlineVersion,
                a == null ? null : a.deadline(), null, at, Reminder.Status.PENDING, null, false,
                a == null ? null : a.responsibleLeader(), message);
        reminders.store(urge, clock.instant());
        return urge;
    }

    /**
     * Stores each planned reminder, then lists it on the assignment only while the assignment still has the
     * deadline and state it was planned for; when it has changed meanwhile, the reminder is cancelled here.
     * Every write selects by {@code _id} alone, which the local store can serve from its index.
     */
    private void addAll(Assignment a, List<Reminder> plan) {
        Instant now = clock.instant();
        List<String> stored = new ArrayList<>();
        for (Reminder r : plan) {
            if (reminders.store(r, now)) {
                stored.add(r.key());
            }
        }
        if (stored.isEmpty()) {
            return;
        }
        Assignment current = find(a.id());
        if (current == null || current.deadlineVersion() != a.deadlineVersion() || current.state() != a.state()) {
            stored.forEach(reminders::cancel);
            return;
        }
        mongo.updateFirst(new Query(Criteria.where("_id").is(a.id())),
                new Update().addToSet("reminderKeys").each(stored.toArray()), Assignment.class);
    }

    private static Update fields(Assignment a) {
        return new Update().set("taskId", a.taskId()).set("unit", a.unit()).set("role", a.role())
                .set("title", a.title()).set("deadline", a.deadline()).set("deadlineVersion", a.deadlineVersion())
                .set("responsibleLeader", a.responsibleLeader()).set("reportingCycle", a.reportingCycle())
                .set("assignedAt", a.assignedAt()).set("acknowledged", a.acknowledged())
                .set("lastReportDate", a.lastReportDate()).set("state", a.state())
                .set("appliedVersion", a.appliedVersion());
    }
}
