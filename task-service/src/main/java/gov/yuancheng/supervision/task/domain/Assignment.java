package gov.yuancheng.supervision.task.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.annotation.PersistenceCreator;

/** 交办: one unit's part of a task, with its own state, deadline, reports and requests. */
public class Assignment {

    private final String id;
    private final String unit;
    private final AssignmentRole role;
    private AssignmentState state;
    private final Instant assignedAt;
    private Instant acknowledgedAt;
    private final LocalDate originalDeadline;
    private LocalDate deadline;
    private final List<DeadlineChange> deadlineChanges;
    private int percent;
    private final List<ProgressReport> reports;
    private final List<ExtensionRequest> extensionRequests;
    private String completionSummary;
    private Instant completionRequestedAt;
    private final List<Review> reviews;
    private Instant completedAt;
    private final List<Urge> urges;
    private Light light;

    @PersistenceCreator
    Assignment(String id, String unit, AssignmentRole role, AssignmentState state, Instant assignedAt,
            Instant acknowledgedAt, LocalDate originalDeadline, LocalDate deadline, List<DeadlineChange> deadlineChanges,
            int percent, List<ProgressReport> reports, List<ExtensionRequest> extensionRequests,
            String completionSummary, Instant completionRequestedAt, List<Review> reviews, Instant completedAt,
            List<Urge> urges, Light light) {
        this.id = id;
        this.unit = unit;
        this.role = role;
        this.state = state;
        this.assignedAt = assignedAt;
        this.acknowledgedAt = acknowledgedAt;
        this.originalDeadline = originalDeadline;
        this.deadline = deadline;
        this.deadlineChanges = mutable(deadlineChanges);
        this.percent = percent;
        this.reports = mutable(reports);
        this.extensionRequests = mutable(extensionRequests);
        this.completionSummary = completionSummary;
        this.completionRequestedAt = completionRequestedAt;
        this.reviews = mutable(reviews);
        this.completedAt = completedAt;
        this.urges = mutable(urges);
        this.light = light == null ? Light.GREEN : light;
    }

    static Assignment assign(String id, String unit, AssignmentRole role, LocalDate deadline, Instant now) {
        return new Assignment(id, unit, role, AssignmentState.ASSIGNED, now, null, deadline, deadline, null, 0, null,
                null, null, null, null, null, null, Light.GREEN);
    }

    private static <T> List<T> mutable(List<T> list) {
        return list == null ? new ArrayList<>() : new ArrayList<>(list);
    }

    boolean isOpen() {
        return state != AssignmentState.COMPLETED && state != AssignmentState.CLOSED;
    }

    void acknowledge(Instant now) {
        state = AssignmentState.ACKNOWLEDGED;
        acknowledgedAt = now;
    }

    void report(ProgressReport report) {
        reports.add(report);
        percent = report.percent();
    }

    void requestExtension(ExtensionRequest request) {
        extensionRequests.add(request);
    }

    ExtensionRequest pendingExtension() {
        return extensionRequests.stream().filter(ExtensionRequest::pending).findFirst().orElse(null);
    }

    ExtensionRequest decideExtension(String requestId, boolean approve, String why, String by, Instant now) {
        for (int i = 0; i < extensionRequests.size(); i++) {
            ExtensionRequest request = extensionRequests.get(i);
            if (request.id().equals(requestId) && request.pending()) {
                ExtensionRequest decided = request.decide(approve, why, by, now);
                extensionRequests.set(i, decided);
                return decided;
            }
        }
        return null;
    }

    DeadlineChange changeDeadline(LocalDate after, DeadlineChange.Cause cause, String reason, String by, Instant now) {
        DeadlineChange change = new DeadlineChange(deadline, after, cause, reason, by, now);
        deadlineChanges.add(change);
        deadline = after;
        return change;
    }

    void requestCompletion(String summary, Instant now) {
        state = AssignmentState.COMPLETION_REQUESTED;
        completionSummary = summary;
        completionRequestedAt = now;
    }

    void review(Review review) {
        reviews.add(review);
        if (review.outcome() == Review.Outcome.APPROVED) {
            state = AssignmentState.COMPLETED;
            completedAt = review.at();
            percent = 100;
        }
        else {
            state = AssignmentState.ACKNOWLEDGED;
        }
    }

    void urge(Urge urge) {
        urges.add(urge);
    }

    void close() {
        if (isOpen()) {
            state = AssignmentState.CLOSED;
        }
    }

    /** Completed by the approved completion request's date, measured against the current (extended) deadline. */
    boolean completedOnTime(ZoneId zone) {
        LocalDate day = completionDay(zone);
        return day != null && !day.isAfter(deadline);
    }

    /**
     * The day the unit finished: the day of its completion request that was approved, not the day of the office's
     * review, so that a late review never makes a unit late. Null while not completed.
     */
    public LocalDate completionDay(ZoneId zone) {
        if (completedAt == null) {
            return null;
        }
        return (completionRequestedAt != null ? completionRequestedAt : completedAt).atZone(zone).toLocalDate();
    }

    Light computeLight(LocalDate today, WorkdayCalendar calendar, LightRules rules, ReportingCycle cycle, ZoneId zone) {
        if (!isOpen()) {
            return Light.NONE;
        }
        if (today.isAfter(deadline)) {
            return Light.RED;
        }
        if (state == AssignmentState.COMPLETION_REQUESTED) {
            return Light.GREEN;
        }
        if (calendar.workingDaysBetween(today, deadline) <= rules.dueSoonWorkingDays()) {
            return Light.YELLOW;
        }
        LocalDate assignedDay = assignedAt.atZone(zone).toLocalDate();
        if (acknowledgedAt == null
                && calendar.workingDaysBetween(assignedDay, today) > rules.acknowledgeWithinWorkingDays()) {
            return Light.YELLOW;
        }
        if (reportMissed(today, calendar, rules, cycle, assignedDay, zone)) {
            return Light.YELLOW;
        }
        return Light.GREEN;
    }

    /**
     * A report fell due (plus grace) since the assignment began and none came since the start of the
     * period it covers; a late report still counts.
     */
    private boolean reportMissed(LocalDate today, WorkdayCalendar calendar, LightRules rules, ReportingCycle cycle,
            LocalDate assignedDay, ZoneId zone) {
        LocalDate latest = cycle.lastDueOnOrBefore(today);
        if (latest == null) {
            return false;
        }
        LocalDate due = calendar.workingDaysBetween(latest, today) < rules.reportGraceWorkingDays()
                ? cycle.previousDue(latest) : latest;
        if (!due.isAfter(assignedDay)) {
            return false;
        }
        LocalDate periodStart = cycle.previousDue(due);
        return reports.stream().map(r -> r.at().atZone(zone).toLocalDate()).noneMatch(day -> day.isAfter(periodStart));
    }

    void setLight(Light light) {
        this.light = light;
    }

    public String id() {
        return id;
    }

    public String unit() {
        return unit;
    }

    public AssignmentRole role() {
        return role;
    }

    public AssignmentState state() {
        return state;
    }

    public Instant assignedAt() {
        return assignedAt;
    }

    public Instant acknowledgedAt() {
        return acknowledgedAt;
    }

    public LocalDate originalDeadline() {
        return originalDeadline;
    }

    public LocalDate deadline() {
        return deadline;
    }

    public List<DeadlineChange> deadlineChanges() {
        return List.copyOf(deadlineChanges);
    }

    public int percent() {
        return percent;
    }

    public List<ProgressReport> reports() {
        return List.copyOf(reports);
    }

    public List<ExtensionRequest> extensionRequests() {
        return List.copyOf(extensionRequests);
    }

    public String completionSummary() {
        return completionSummary;
    }

    public Instant completionRequestedAt() {
        return completionRequestedAt;
    }

    public List<Review> reviews() {
        return List.copyOf(reviews);
    }

    public Instant completedAt() {
        return completedAt;
    }

    public List<Urge> urges() {
        return List.copyOf(urges);
    }

    public Light light() {
        return light;
    }
}
