package gov.yuancheng.supervision.notify.schedule;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import gov.yuancheng.supervision.notify.calendar.Calendars;
import gov.yuancheng.supervision.notify.calendar.WorkingDayCalendar;

import org.springframework.data.mongodb.core.BulkOperations;
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
        List<String> cancelled = new ArrayList<>();
        List<String> finished = new ArrayList<>();
        for (Reminder old : reminders.findAll(a.reminderKeys())) {
            if (old.status() == Reminder.Status.PENDING && !planned.contains(old.key())
                    && (!planner.stillApplies(old, a) || old.dueAt().isAfter(from))) {
                cancelled.add(old.key());
            }
            else if (old.status() != Reminder.Status.PENDING && !planned.contains(old.key())) {
                finished.add(old.key());
            }
        }
        reminders.cancel(cancelled);
        finished.addAll(cancelled);
        if (!finished.isEmpty()) {
            mongo.updateFirst(new Query(Criteria.where("_id").is(assignmentId)),
                    new Update().pullAll("reminderKeys", finished.toArray()), Assignment.class);
        }
        addAll(a, plan);
    }

    /**
     * After recurring reminders (overdue, periodic report) went out: plans what follows them for every assignment
     * named, from the earliest due instant of those sent, cancelling nothing, all together. One-shot reminders are
     * all planned up front, so they are left out here; an occurrence already stored is left as it is.
     */
    public void extend(Map<String, Instant> sentFrom) {
        if (sentFrom.isEmpty()) {
            return;
        }
        WorkingDayCalendar calendar = calendars.current();
        Map<Assignment, List<Reminder>> plans = new LinkedHashMap<>();
        for (Assignment a : findAll(List.copyOf(sentFrom.keySet()))) {
            plans.put(a, planner.plan(a, milestonesFor(a), calendar, sentFrom.get(a.id())).stream()
                    .filter(r -> r.kind().recurring()).toList());
        }
        addAll(plans);
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

    private void addAll(Assignment a, List<Reminder> plan) {
        addAll(Map.of(a, plan));
    }

    /**
     * Stores the planned reminders of the assignments, then lists each on its assignment only while the assignment
     * still has the deadline and state it was planned for; when it has changed meanwhile, the reminder is cancelled
     * here. A few writes for all of them together, each selecting by {@code _id}, which the local store serves from
     * its index.
     */
    private void addAll(Map<Assignment, List<Reminder>> plans) {
        Set<String> stored = new HashSet<>(reminders.storeAll(plans.values().stream().flatMap(List::stream).toList(),
                clock.instant()));
        if (stored.isEmpty()) {
            return;
        }
        Map<String, Assignment> current = new HashMap<>();
        findAll(plans.keySet().stream().map(Assignment::id).toList()).forEach(a -> current.put(a.id(), a));
        List<String> outdated = new ArrayList<>();
        BulkOperations listed = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Assignment.class);
        boolean anyListed = false;
        for (Map.Entry<Assignment, List<Reminder>> plan : plans.entrySet()) {
            Assignment a = plan.getKey();
            List<String> keys = plan.getValue().stream().map(Reminder::key).filter(stored::contains).toList();
            if (keys.isEmpty()) {
                continue;
            }
            Assignment latest = current.get(a.id());
            if (latest == null || latest.deadlineVersion() != a.deadlineVersion() || latest.state() != a.state()) {
                outdated.addAll(keys);
            }
            else {
                listed.updateOne(new Query(Criteria.where("_id").is(a.id())),
                        new Update().addToSet("reminderKeys").each(keys.toArray()));
                anyListed = true;
            }
        }
        reminders.cancel(outdated);
        if (anyListed) {
            listed.execute();
        }
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
