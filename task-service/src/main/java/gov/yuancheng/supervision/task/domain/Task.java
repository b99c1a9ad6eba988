package gov.yuancheng.supervision.task.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * 督办事项: a supervised task, its assignments, and the events its changes caused that the relay has
 * not yet published. Every change goes through a method here, which checks who may do it in which
 * state, updates the state and the traffic lights, and appends its events, so that one save writes
 * the change and its events together.
 */
@Document("tasks")
public class Task {

    static final int KEPT_IDEMPOTENCY_KEYS = 50;

    @Id
    private final String id;
    @Version
    private Long version;
    private final String parentId;
    private final String title;
    private final String description;
    private final Source source;
    private final String category;
    private final Priority priority;
    private final String responsibleLeader;
    private final String leadUnit;
    private final List<String> coUnits;
    private final LocalDate deadline;
    private final Integer deadlineWorkingDays;
    private final ReportingCycle reportingCycle;
    private final List<Milestone> milestones;
    private TaskStatus status;
    private String statusReason;
    private final List<Assignment> assignments;
    private Evaluation evaluation;
    private Light light;
    private final Actor createdBy;
    private final Instant createdAt;
    private Instant updatedAt;
    private final String creationKey;
    private final List<String> appliedKeys;
    private final List<OutboxEvent> outbox;
    private Instant relayLeaseUntil;

    @PersistenceCreator
    Task(String id, Long version, String parentId, String title, String description, Source source, String category,
            Priority priority, String responsibleLeader, String leadUnit, List<String> coUnits, LocalDate deadline,
            Integer deadlineWorkingDays, ReportingCycle reportingCycle, List<Milestone> milestones, TaskStatus status,
            String statusReason, List<Assignment> assignments, Evaluation evaluation, Light light, Actor createdBy,
            Instant createdAt, Instant updatedAt, String creationKey, List<String> appliedKeys,
            List<OutboxEvent> outbox, Instant relayLeaseUntil) {
        this.id = id;
        this.version = version;
        this.parentId = parentId;
        this.title = title;
        this.description = description;
        this.source = source;
        this.category = category;
        this.priority = priority;
        this.responsibleLeader = responsibleLeader;
        this.leadUnit = leadUnit;
        this.coUnits = coUnits == null ? List.of() : List.copyOf(coUnits);
        this.deadline = deadline;
        this.deadlineWorkingDays = deadlineWorkingDays;
        this.reportingCycle = reportingCycle == null ? ReportingCycle.NONE : reportingCycle;
        this.milestones = milestones == null ? List.of() : List.copyOf(milestones);
        this.status = status;
        this.statusReason = statusReason;
        this.assignments = assignments == null ? new ArrayList<>() : new ArrayList<>(assignments);
        this.evaluation = evaluation;
        this.light = light;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.creationKey = creationKey;
        this.appliedKeys = appliedKeys == null ? new ArrayList<>() : new ArrayList<>(appliedKeys);
        this.outbox = outbox == null ? new ArrayList<>() : new ArrayList<>(outbox);
        this.relayLeaseUntil = relayLeaseUntil;
    }

    /**
     * 立项 and 交办 in one step: the task, one assignment per unit, and their events. A sub-task (分解)
     * names its parent, and its deadline may not be later than the parent's.
     */
    public static Task register(NewTask command, Optional<Task> parent, String creationKey, Context context) {
        requireRole(context.actor(), Roles.SUPERVISOR, "Only the supervision office registers tasks.");
        if (command.coUnits().contains(command.leadUnit())) {
            throw new IllegalArgumentException("The lead unit cannot also be a co-unit.");
        }
        if (command.coUnits().stream().distinct().count() != command.coUnits().size()) {
            throw new IllegalArgumentException("A co-unit is named twice.");
        }
        if ((command.deadline() == null) == (command.deadlineWorkingDays() == null)) {
            throw new IllegalArgumentException("Give the deadline either as a date or as a number of working days.");
        }
        LocalDate deadline = command.deadline() != null ? command.deadline()
                : context.calendar().addWorkingDays(context.today(), command.deadlineWorkingDays());
        if (deadline.isBefore(context.today())) {
            throw new IllegalArgumentException("The deadline lies in the past.");
        }
        for (Milestone milestone : command.milestones()) {
            if (milestone.date().isAfter(deadline)) {
                throw new IllegalArgumentException("Milestone '" + milestone.title() + "' lies after the deadline.");
            }
        }
        if (command.parentId() != null) {
            Task parentTask = parent.orElseThrow(
                    () -> new IllegalArgumentException("The parent task " + command.parentId() + " does not exist."));
            if (parentTask.status != TaskStatus.ACTIVE) {
                throw new IllegalTransitionException(Action.DECOMPOSE, "Only an active task can be decomposed.",
                        parentTask.allowedActions(context.actor()));
            }
            if (deadline.isAfter(parentTask.deadline)) {
                throw new IllegalArgumentException("A sub-task's deadline cannot be later than its parent's ("
                        + parentTask.deadline + ").");
            }
        }
        String id = UUID.randomUUID().toString();
        List<Assignment> assignments = new ArrayList<>();
        assignments.add(Assignment.assign(UUID.randomUUID().toString(), command.leadUnit(), AssignmentRole.LEAD,
                deadline, context.now()));
        command.coUnits().forEach(unit -> assignments.add(Assignment.assign(UUID.randomUUID().toString(), unit,
                AssignmentRole.CO, deadline, context.now())));
        Task task = new Task(id, null, command.parentId(), command.title(), command.description(), command.source(),
                command.category(), command.priority(), command.responsibleLeader(), command.leadUnit(),
                command.coUnits(), deadline, command.deadlineWorkingDays(), command.reportingCycle(),
                command.milestones(), TaskStatus.ACTIVE, null, assignments, null, Light.GREEN,
                context.actor(), context.now(), context.now(), creationKey, null, null, null);

        Map<String, Object> registered = task.data();
        putIfPresent(registered, "parentId", command.parentId());
        registered.put("title", command.title());
        registered.put("category", command.category());
        if (command.source() != null) {
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("kind", command.source().kind().name());
            putIfPresent(source, "reference", command.source().reference());
            registered.put("source", source);
        }
        registered.put("priority", command.priority().name());
        registered.put("leadUnit", command.leadUnit());
        registered.put("coUnits", command.coUnits());
        registered.put("deadline", deadline.toString());
        putIfPresent(registered, "responsibleLeader", command.responsibleLeader());
        registered.put("reportingCycle", task.cycleData());
        registered.put("milestones", command.milestones().stream().map(m -> Map.of("id", m.id(), "title", m.title(),
                "date", m.date().toString())).toList());
        task.emit(TaskEventTypes.REGISTERED, registered, context);
        for (Assignment assignment : assignments) {
            Map<String, Object> assigned = task.data(assignment);
            assigned.put("role", assignment.role().name());
            assigned.put("title", command.title());
            assigned.put("deadline", deadline.toString());
            putIfPresent(assigned, "responsibleLeader", command.responsibleLeader());
            assigned.put("reportingCycle", task.cycleData());
            task.emit(TaskEventTypes.ASSIGNED, assigned, context);
        }
        task.refreshLights(context);
        return task;
    }

    // ---- what units do, always on their own assignment ------------------------------------------------

    /** 签收. */
    public void acknowledge(Context context) {
        Assignment assignment = ownAssignment(context.actor(), Action.ACKNOWLEDGE);
        require(Action.ACKNOWLEDGE, assignment.state() == AssignmentState.ASSIGNED,
                "The assignment has been acknowledged already.", context);
        assignment.acknowledge(context.now());
        Map<String, Object> data = data(assignment);
        data.put("acknowledgedAt", context.now().toString());
        changed(TaskEventTypes.ACKNOWLEDGED, data, context);
    }

    /** 进度反馈; {@code noChange} is the quick form that repeats the last percentage. */
    public ProgressReport reportProgress(String text, Integer percent, boolean noChange, List<String> attachmentIds,
            List<String> citedUnits, Context context) {
        Assignment assignment = ownAssignment(context.actor(), Action.REPORT_PROGRESS);
        require(Action.REPORT_PROGRESS, assignment.state() == AssignmentState.ACKNOWLEDGED,
                "Progress is reported on an acknowledged assignment that awaits no review.", context);
        int before = assignment.percent();
        int after = noChange ? before : percent == null ? before : percent;
        if (after < before) {
            throw new IllegalArgumentException("Progress cannot go back from " + before + "% to " + after + "%.");
        }
        if (!noChange && (text == null || text.isBlank())) {
            throw new IllegalArgumentException("A progress report needs a text (or use the no-change form).");
        }
        if (!citedUnits.isEmpty() && assignment.role() != AssignmentRole.LEAD) {
            throw new IllegalArgumentException("Only the lead unit's report can cite co-units.");
        }
        for (String cited : citedUnits) {
            if (!coUnits.contains(cited)) {
                throw new IllegalArgumentException(cited + " is not a co-unit of this task.");
            }
        }
        ProgressReport report = new ProgressReport(UUID.randomUUID().toString(),
                noChange ? "无变化（与上次反馈相同）" : text, after, noChange, attachmentIds, citedUnits,
                context.actor().username(), context.now());
        assignment.report(report);
        Map<String, Object> data = data(assignment);
        data.put("reportId", report.id());
        data.put("percent", after);
        data.put("noChange", noChange);
        data.put("attachments", attachmentIds.size());
        data.put("before", Map.of("percent", before));
        data.put("after", Map.of("percent", after));
        changed(TaskEventTypes.PROGRESS_REPORTED, data, context);
        return report;
    }

    /** 延期申请. */
    public ExtensionRequest requestExtension(String reason, LocalDate proposed, Context context) {
        Assignment assignment = ownAssignment(context.actor(), Action.REQUEST_EXTENSION);
        require(Action.REQUEST_EXTENSION, assignment.state() == AssignmentState.ACKNOWLEDGED
                || assignment.state() == AssignmentState.ASSIGNED, "Only an open assignment can be extended.", context);
        require(Action.REQUEST_EXTENSION, assignment.pendingExtension() == null,
                "An extension request is already waiting for a decision.", context);
        if (!proposed.isAfter(assignment.deadline())) {
            throw new IllegalArgumentException("The proposed deadline must be later than the current one ("
                    + assignment.deadline() + ").");
        }
        ExtensionRequest request = new ExtensionRequest(UUID.randomUUID().toString(), reason, proposed,
                context.actor().username(), context.now(), null, null, null, null);
        assignment.requestExtension(request);
        Map<String, Object> data = data(assignment);
        data.put("requestId", request.id());
        data.put("reason", reason);
        data.put("proposedDeadline", proposed.toString());
        data.put("currentDeadline", assignment.deadline().toString());
        changed(TaskEventTypes.EXTENSION_REQUESTED, data, context);
        return request;
    }

    /** 申请办结. */
    public void requestCompletion(String summary, Context context) {
        Assignment assignment = ownAssignment(context.actor(), Action.REQUEST_COMPLETION);
        require(Action.REQUEST_COMPLETION, assignment.state() == AssignmentState.ACKNOWLEDGED,
                "Completion is requested on an acknowledged assignment.", context);
        assignment.requestCompletion(summary, context.now());
        Map<String, Object> data = data(assignment);
        data.put("summary", summary);
        changed(TaskEventTypes.COMPLETION_REQUESTED, data, context);
    }

    // ---- what the supervision office does ------------------------------------------------------------

    /** 催办. */
    public void urge(String assignmentId, String message, Context context) {
        officeOnly(Action.URGE, context);
        Assignment assignment = assignment(assignmentId);
        require(Action.URGE, assignment.isOpen(), "A completed assignment needs no urging.", context);
        assignment.urge(new Urge(message, context.actor().username(), context.now()));
        Map<String, Object> data = data(assignment);
        data.put("message", message);
        changed(TaskEventTypes.URGED, data, context);
    }

    /** 延期审批: approving moves the deadline; the original and every change are kept. */
    public void decideExtension(String assignmentId, String requestId, boolean approve, String reason,
            Context context) {
        officeOnly(Action.DECIDE_EXTENSION, context);
        Assignment assignment = assignment(assignmentId);
        ExtensionRequest pending = assignment.pendingExtension();
        require(Action.DECIDE_EXTENSION, pending != null && pending.id().equals(requestId),
                "There is no pending extension request " + requestId + ".", context);
        require(Action.DECIDE_EXTENSION, assignment.isOpen(), "The assignment is closed.", context);
        LocalDate before = assignment.deadline();
        ExtensionRequest decided = assignment.decideExtension(requestId, approve, reason, context.actor().username(),
                context.now());
        Map<String, Object> data = data(assignment);
        data.put("requestId", requestId);
        data.put("approved", approve);
        putIfPresent(data, "reason", reason);
        data.put("before", Map.of("deadline", before.toString()));
        data.put("after", Map.of("deadline", (approve ? decided.proposedDeadline() : before).toString()));
        changed(TaskEventTypes.EXTENSION_DECIDED, data, context);
        if (approve) {
            moveDeadline(assignment, decided.proposedDeadline(), DeadlineChange.Cause.EXTENSION_APPROVED, reason,
                    context);
        }
    }

    /** The office sets a new deadline for one assignment directly. */
    public void changeDeadline(String assignmentId, LocalDate after, String reason, Context context) {
        officeOnly(Action.CHANGE_DEADLINE, context);
        Assignment assignment = assignment(assignmentId);
        require(Action.CHANGE_DEADLINE, assignment.isOpen(), "The assignment is closed.", context);
        if (after.equals(assignment.deadline())) {
            throw new IllegalArgumentException("The deadline is " + after + " already.");
        }
        moveDeadline(assignment, after, DeadlineChange.Cause.OFFICE_EDIT, reason, context);
    }

    private void moveDeadline(Assignment assignment, LocalDate after, DeadlineChange.Cause cause, String reason,
            Context context) {
        DeadlineChange change = assignment.changeDeadline(after, cause, reason, context.actor().username(),
                context.now());
        Map<String, Object> data = data(assignment);
        data.put("cause", cause.name());
        data.put("before", Map.of("deadline", change.before().toString()));
        data.put("after", Map.of("deadline", after.toString()));
        data.put("originalDeadline", assignment.originalDeadline().toString());
        changed(TaskEventTypes.DEADLINE_CHANGED, data, context);
    }

    /**
     * A deadline given as N working days is counted again when the calendar changed (a new State
     * Council notice): open assignments whose deadline nobody moved by hand follow the new count.
     * True when a deadline moved.
     */
    public boolean recountWorkingDayDeadlines(Context context) {
        if (deadlineWorkingDays == null || status != TaskStatus.ACTIVE) {
            return false;
        }
        LocalDate recounted = context.calendar().addWorkingDays(createdAt.atZone(context.zone()).toLocalDate(),
                deadlineWorkingDays);
        boolean moved = false;
        for (Assignment assignment : assignments) {
            boolean movedByHand = assignment.deadlineChanges().stream()
                    .anyMatch(c -> c.cause() != DeadlineChange.Cause.CALENDAR_CHANGED);
            if (assignment.isOpen() && !movedByHand && !recounted.equals(assignment.deadline())) {
                moveDeadline(assignment, recounted, DeadlineChange.Cause.CALENDAR_CHANGED,
                        "工作日历调整，按 " + deadlineWorkingDays + " 个工作日重新计算", context);
                moved = true;
            }
        }
        return moved;
    }

    /** 审核: approve the completion, or return it (退回) with a reason, which reopens the assignment. */
    public void review(String assignmentId, boolean approve, String reason, Context context) {
        officeOnly(Action.REVIEW, context);
        Assignment assignment = assignment(assignmentId);
        require(Action.REVIEW, assignment.state() == AssignmentState.COMPLETION_REQUESTED,
                "Only a requested completion can be reviewed.", context);
        if (!approve && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("A return (退回) needs a reason.");
        }
        assignment.review(new Review(approve ? Review.Outcome.APPROVED : Review.Outcome.RETURNED, reason,
                context.actor().username(), context.now()));
        boolean taskCompleted = approve && assignments.stream().noneMatch(Assignment::isOpen);
        if (taskCompleted) {
            status = TaskStatus.COMPLETED;
        }
        Map<String, Object> data = data(assignment);
        data.put("outcome", approve ? "APPROVED" : "RETURNED");
        putIfPresent(data, "reason", reason);
        if (approve) {
            data.put("onTime", assignment.completedOnTime(context.zone()));
        }
        data.put("taskCompleted", taskCompleted);
        changed(TaskEventTypes.REVIEWED, data, context);
    }

    /** 评价 of a completed task. */
    public void evaluate(int timeliness, int quality, String comment, Context context) {
        officeOnly(Action.EVALUATE, context);
        require(Action.EVALUATE, status == TaskStatus.COMPLETED && evaluation == null,
                status == TaskStatus.COMPLETED ? "The task has been evaluated already." : "Only a completed task is evaluated.",
                context);
        evaluation = new Evaluation(timeliness, quality, comment, context.actor().username(), context.now());
        Map<String, Object> data = data();
        data.put("timeliness", timeliness);
        data.put("quality", quality);
        putIfPresent(data, "comment", comment);
        data.put("units", units());
        changed(TaskEventTypes.EVALUATED, data, context);
    }

    public void cancel(String reason, Context context) {
        officeOnly(Action.CANCEL, context);
        require(Action.CANCEL, status == TaskStatus.ACTIVE || status == TaskStatus.SUSPENDED,
                "Only an active or suspended task can be cancelled.", context);
        status = TaskStatus.CANCELLED;
        statusReason = reason;
        assignments.forEach(Assignment::close);
        statusChanged(TaskEventTypes.CANCELLED, reason, context);
    }

    public void suspend(String reason, Context context) {
        officeOnly(Action.SUSPEND, context);
        require(Action.SUSPEND, status == TaskStatus.ACTIVE, "Only an active task can be suspended.", context);
        status = TaskStatus.SUSPENDED;
        statusReason = reason;
        statusChanged(TaskEventTypes.SUSPENDED, reason, context);
    }

    public void resume(String reason, Context context) {
        officeOnly(Action.RESUME, context);
        require(Action.RESUME, status == TaskStatus.SUSPENDED, "Only a suspended task can be resumed.", context);
        status = TaskStatus.ACTIVE;
        statusReason = reason;
        statusChanged(TaskEventTypes.RESUMED, reason, context);
    }

    private void statusChanged(String type, String reason, Context context) {
        Map<String, Object> data = data();
        putIfPresent(data, "reason", reason);
        data.put("units", units());
        changed(type, data, context);
    }

    // ---- idempotency, lights, visibility ---------------------------------------------------------------

    /** True when a request with this key was applied to this task already (a client's retry). */
    public boolean hasApplied(String idempotencyKey) {
        return idempotencyKey != null && appliedKeys.contains(idempotencyKey);
    }

    public void rememberKey(String idempotencyKey) {
        if (idempotencyKey == null) {
            return;
        }
        appliedKeys.add(idempotencyKey);
        while (appliedKeys.size() > KEPT_IDEMPOTENCY_KEYS) {
            appliedKeys.remove(0);
        }
    }

    /** Recomputes every assignment's light and the task's (the worst of them); true when any changed. */
    public boolean refreshLights(Context context) {
        Light before = light;
        boolean changed = false;
        Light worst = Light.NONE;
        for (Assignment assignment : assignments) {
            Light computed = status == TaskStatus.ACTIVE
                    ? assignment.computeLight(context.today(), context.calendar(), context.rules(), reportingCycle,
                            context.zone())
                    : Light.NONE;
            if (computed != assignment.light()) {
                assignment.setLight(computed);
                changed = true;
            }
            worst = worst.worse(computed);
        }
        light = worst;
        return changed || before != light;
    }

    /** Object-level authorization: a unit sees only tasks assigned to it, a leader only those they answer for. */
    public boolean isVisibleTo(Actor actor) {
        if (actor.readsAllTasks()) {
            return true;
        }
        if (actor.hasRole(Roles.LEADER) && actor.username() != null && actor.username().equals(responsibleLeader)) {
            return true;
        }
        return actor.hasRole(Roles.UNIT) && actor.unit() != null
                && assignments.stream().anyMatch(a -> a.unit().equals(actor.unit()));
    }

    /** The assignments this actor may see: a unit sees only its own. */
    public List<Assignment> assignmentsVisibleTo(Actor actor) {
        if (actor.readsAllTasks() || (actor.hasRole(Roles.LEADER) && actor.username() != null
                && actor.username().equals(responsibleLeader))) {
            return List.copyOf(assignments);
        }
        return assignments.stream().filter(a -> a.unit().equals(actor.unit())).toList();
    }

    /** What this actor may do now; the UI shows these, and a refused action names them. */
    public Set<Action> allowedActions(Actor actor) {
        Set<Action> allowed = EnumSet.noneOf(Action.class);
        if (actor.hasRole(Roles.SUPERVISOR)) {
            switch (status) {
                case ACTIVE -> {
                    allowed.addAll(EnumSet.of(Action.DECOMPOSE, Action.CANCEL, Action.SUSPEND));
                    if (assignments.stream().anyMatch(Assignment::isOpen)) {
                        allowed.addAll(EnumSet.of(Action.URGE, Action.CHANGE_DEADLINE));
                    }
                    if (assignments.stream().anyMatch(a -> a.pendingExtension() != null)) {
                        allowed.add(Action.DECIDE_EXTENSION);
                    }
                    if (assignments.stream().anyMatch(a -> a.state() == AssignmentState.COMPLETION_REQUESTED)) {
                        allowed.add(Action.REVIEW);
                    }
                }
                case SUSPENDED -> allowed.addAll(EnumSet.of(Action.RESUME, Action.CANCEL));
                case COMPLETED -> {
                    if (evaluation == null) {
                        allowed.add(Action.EVALUATE);
                    }
                }
                case CANCELLED -> {
                }
            }
        }
        if (actor.hasRole(Roles.UNIT) && status == TaskStatus.ACTIVE) {
            assignments.stream().filter(a -> a.unit().equals(actor.unit())).findFirst().ifPresent(a -> {
                switch (a.state()) {
                    case ASSIGNED -> allowed.addAll(EnumSet.of(Action.ACKNOWLEDGE, Action.REQUEST_EXTENSION));
                    case ACKNOWLEDGED -> allowed.addAll(EnumSet.of(Action.REPORT_PROGRESS, Action.REQUEST_COMPLETION,
                            Action.REQUEST_EXTENSION));
                    default -> {
                    }
                }
                if (a.pendingExtension() != null) {
                    allowed.remove(Action.REQUEST_EXTENSION);
                }
            });
        }
        return allowed;
    }

    /** The lead unit's progress stands for the task's own progress. */
    public int progress() {
        return assignments.stream().filter(a -> a.role() == AssignmentRole.LEAD).mapToInt(Assignment::percent)
                .findFirst().orElse(0);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private Assignment ownAssignment(Actor actor, Action action) {
        if (!actor.hasRole(Roles.UNIT)) {
            throw new NotPermittedException("Only the assigned unit can do this.");
        }
        return assignments.stream().filter(a -> a.unit().equals(actor.unit())).findFirst()
                .orElseThrow(() -> new NotPermittedException("Your unit has no assignment on this task."));
    }

    private Assignment assignment(String assignmentId) {
        return assignments.stream().filter(a -> a.id().equals(assignmentId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("The task has no assignment " + assignmentId + "."));
    }

    private void officeOnly(Action action, Context context) {
        requireRole(context.actor(), Roles.SUPERVISOR, "Only the supervision office can do this.");
        if (status != TaskStatus.ACTIVE && action != Action.RESUME && action != Action.CANCEL
                && action != Action.EVALUATE) {
            throw new IllegalTransitionException(action, "The task is " + status.name().toLowerCase() + ".",
                    allowedActions(context.actor()));
        }
    }

    private void require(Action action, boolean condition, String why, Context context) {
        if (status != TaskStatus.ACTIVE && action != Action.RESUME && action != Action.CANCEL
                && action != Action.EVALUATE) {
            throw new IllegalTransitionException(action, "The task is " + status.name().toLowerCase() + ".",
                    allowedActions(context.actor()));
        }
        if (!condition) {
            throw new IllegalTransitionException(action, why, allowedActions(context.actor()));
        }
    }

    private static void requireRole(Actor actor, String role, String message) {
        if (!actor.hasRole(role)) {
            throw new NotPermittedException(message);
        }
    }

    private void changed(String type, Map<String, Object> data, Context context) {
        updatedAt = context.now();
        emit(type, data, context);
        refreshLights(context);
    }

    private void emit(String type, Map<String, Object> data, Context context) {
        outbox.add(new OutboxEvent(UUID.randomUUID().toString(), type, context.now(), context.actor(),
                context.origin(), data));
    }

    private Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("taskId", id);
        data.put("version", nextVersion());
        return data;
    }

    private Map<String, Object> data(Assignment assignment) {
        Map<String, Object> data = data();
        data.put("assignmentId", assignment.id());
        data.put("unit", assignment.unit());
        return data;
    }

    /** The version the document will have once this change is saved (insert: 0, each save: +1). */
    private long nextVersion() {
        return version == null ? 0 : version + 1;
    }

    private Map<String, Object> cycleData() {
        Map<String, Object> cycle = new LinkedHashMap<>();
        cycle.put("kind", reportingCycle.kind().name());
        if (reportingCycle.kind() != ReportingCycle.Kind.NONE) {
            cycle.put("dueDay", reportingCycle.dueDay());
        }
        return cycle;
    }

    private List<String> units() {
        return assignments.stream().map(Assignment::unit).toList();
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    // ---- accessors ----------------------------------------------------------------------------------------

    public String id() {
        return id;
    }

    public Long version() {
        return version;
    }

    public String parentId() {
        return parentId;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    public Source source() {
        return source;
    }

    public String category() {
        return category;
    }

    public Priority priority() {
        return priority;
    }

    public String responsibleLeader() {
        return responsibleLeader;
    }

    public String leadUnit() {
        return leadUnit;
    }

    public List<String> coUnits() {
        return coUnits;
    }

    public LocalDate deadline() {
        return deadline;
    }

    public Integer deadlineWorkingDays() {
        return deadlineWorkingDays;
    }

    public ReportingCycle reportingCycle() {
        return reportingCycle;
    }

    public List<Milestone> milestones() {
        return milestones;
    }

    public TaskStatus status() {
        return status;
    }

    public String statusReason() {
        return statusReason;
    }

    public List<Assignment> assignments() {
        return List.copyOf(assignments);
    }

    public Evaluation evaluation() {
        return evaluation;
    }

    public Light light() {
        return light;
    }

    public Actor createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public String creationKey() {
        return creationKey;
    }

    public List<OutboxEvent> outbox() {
        return List.copyOf(outbox);
    }
}
