package gov.yuancheng.supervision.task.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import gov.yuancheng.supervision.task.calendar.WorkingCalendar;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final Instant MONDAY_MORNING = Instant.parse("2026-03-02T01:00:00Z");
    static final Actor OFFICE = new Actor("u1", "dcs-zhang", "张明", "office-dcs", List.of(Roles.SUPERVISOR));
    static final Actor FGJ = new Actor("u2", "fgj-li", "李华", "dept-fgj", List.of(Roles.UNIT));
    static final Actor YUANNAN = new Actor("u3", "yuannan-wang", "王芳", "town-yuannan", List.of(Roles.UNIT));
    static final Actor GXJ = new Actor("u4", "gxj-chen", "陈刚", "dept-gxj", List.of(Roles.UNIT));
    static final Actor LEADER = new Actor("u5", "leader-liu", "刘强", "district-leaders", List.of(Roles.LEADER));
    static final Actor INSPECTOR = new Actor("u6", "jw-zhao", "赵敏", "dept-jw", List.of(Roles.INSPECTOR));

    static Context at(Actor actor, Instant now) {
        return new Context(actor, RequestOrigin.NONE, now, ZONE, WorkingCalendar.weekdaysOnly(), LightRules.DEFAULT);
    }

    static NewTask newTask(LocalDate deadline) {
        return new NewTask(null, "推进工业园三期开发建设", null, new Source(Source.Kind.PARTY_CONGRESS_REPORT, "第八次党代会报告"),
                "urban-economy", Priority.HIGH, "leader-liu", "dept-fgj", List.of("town-yuannan"), deadline, null,
                ReportingCycle.NONE, List.of());
    }

    static Task registered() {
        return Task.register(newTask(LocalDate.parse("2026-06-30")), Optional.empty(), null, at(OFFICE, MONDAY_MORNING));
    }

    static String assignmentOf(Task task, String unit) {
        return task.assignments().stream().filter(a -> a.unit().equals(unit)).findFirst().orElseThrow().id();
    }

    static Assignment assignment(Task task, String unit) {
        return task.assignments().stream().filter(a -> a.unit().equals(unit)).findFirst().orElseThrow();
    }

    @Test
    void registeringAssignsTheLeadUnitAndEveryCoUnitAndQueuesTheirEvents() {
        Task task = registered();

        assertThat(task.assignments()).extracting(Assignment::unit, Assignment::role, Assignment::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("dept-fgj", AssignmentRole.LEAD, AssignmentState.ASSIGNED),
                        org.assertj.core.groups.Tuple.tuple("town-yuannan", AssignmentRole.CO, AssignmentState.ASSIGNED));
        assertThat(task.outbox()).extracting(OutboxEvent::type).containsExactly(TaskEventTypes.REGISTERED,
                TaskEventTypes.ASSIGNED, TaskEventTypes.ASSIGNED);
        assertThat(task.outbox()).allSatisfy(e -> assertThat(e.data()).containsEntry("taskId", task.id())
                .containsEntry("version", 0L));
    }

    @Test
    void aDeadlineInWorkingDaysIsCountedOnTheCalendar() {
        NewTask command = new NewTask(null, "t", null, null, "urban-economy", null, null, "dept-fgj", List.of(), null, 5,
                ReportingCycle.NONE, List.of());

        Task task = Task.register(command, Optional.empty(), null, at(OFFICE, MONDAY_MORNING));

        assertThat(task.deadline()).isEqualTo(LocalDate.parse("2026-03-09"));
    }

    @Test
    void aDeadlineInWorkingDaysIsRecountedWhenTheCalendarChangesUnlessSomeoneMovedIt() {
        NewTask command = new NewTask(null, "t", null, null, "urban-economy", null, null, "dept-fgj",
                List.of("town-yuannan"), null, 5, ReportingCycle.NONE, List.of());
        Task task = Task.register(command, Optional.empty(), null, at(OFFICE, MONDAY_MORNING));
        task.acknowledge(at(FGJ, MONDAY_MORNING));
        ExtensionRequest request = task.requestExtension("需要时间", LocalDate.parse("2026-03-31"), at(FGJ, MONDAY_MORNING));
        task.decideExtension(assignmentOf(task, "dept-fgj"), request.id(), true, "同意", at(OFFICE, MONDAY_MORNING));
        var holiday = new WorkingCalendar(List.of(new gov.yuancheng.supervision.task.calendar.CalendarYear(2026, 1L,
                List.of(LocalDate.parse("2026-03-04")), List.of(), "新通知", List.of())));
        Context afterNotice = new Context(OFFICE, RequestOrigin.NONE, MONDAY_MORNING, ZONE, holiday, LightRules.DEFAULT);

        assertThat(task.recountWorkingDayDeadlines(afterNotice)).isTrue();

        assertThat(assignment(task, "town-yuannan").deadline()).isEqualTo(LocalDate.parse("2026-03-10"));
        assertThat(assignment(task, "town-yuannan").deadlineChanges()).singleElement()
                .satisfies(c -> assertThat(c.cause()).isEqualTo(DeadlineChange.Cause.CALENDAR_CHANGED));
        assertThat(assignment(task, "dept-fgj").deadline()).as("extended by hand").isEqualTo(LocalDate.parse("2026-03-31"));
        assertThat(task.recountWorkingDayDeadlines(afterNotice)).as("nothing left to move").isFalse();
    }

    @Test
    void aSubTaskCannotOutlastItsParent() {
        Task parent = registered();
        NewTask child = new NewTask(parent.id(), "子事项", null, null, "urban-economy", null, null, "town-yuannan",
                List.of(), LocalDate.parse("2026-07-31"), null, ReportingCycle.NONE, List.of());

        assertThatIllegalArgumentException().isThrownBy(
                () -> Task.register(child, Optional.of(parent), null, at(OFFICE, MONDAY_MORNING)))
                .withMessageContaining("2026-06-30");
    }

    @Test
    void onlyTheOfficeRegisters() {
        assertThatThrownBy(() -> Task.register(newTask(LocalDate.parse("2026-06-30")), Optional.empty(), null,
                at(FGJ, MONDAY_MORNING))).isInstanceOf(NotPermittedException.class);
    }

    @Test
    void theWholeLifecycleFromAcknowledgementToEvaluation() {
        Task task = registered();
        Instant t = MONDAY_MORNING.plusSeconds(3600);

        task.acknowledge(at(FGJ, t));
        task.acknowledge(at(YUANNAN, t));
        task.reportProgress("完成规划选址", 30, false, List.of(), List.of(), at(FGJ, t));
        task.reportProgress(null, null, true, List.of(), List.of(), at(YUANNAN, t));
        ExtensionRequest request = task.requestExtension("用地审批未完成", LocalDate.parse("2026-08-31"), at(FGJ, t));
        task.decideExtension(assignmentOf(task, "dept-fgj"), request.id(), true, "同意", at(OFFICE, t));
        task.requestCompletion("已完工", at(FGJ, t));
        task.review(assignmentOf(task, "dept-fgj"), false, "缺少验收材料", at(OFFICE, t));
        task.requestCompletion("已补充验收材料", at(FGJ, t));
        task.review(assignmentOf(task, "dept-fgj"), true, null, at(OFFICE, t));
        task.requestCompletion("配合完成", at(YUANNAN, t));
        task.review(assignmentOf(task, "town-yuannan"), true, null, at(OFFICE, t));
        task.evaluate(95, 90, "按期完成", at(OFFICE, t));

        assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
        Assignment lead = assignment(task, "dept-fgj");
        assertThat(lead.state()).isEqualTo(AssignmentState.COMPLETED);
        assertThat(lead.originalDeadline()).isEqualTo(LocalDate.parse("2026-06-30"));
        assertThat(lead.deadline()).isEqualTo(LocalDate.parse("2026-08-31"));
        assertThat(lead.deadlineChanges()).singleElement()
                .satisfies(c -> assertThat(c.cause()).isEqualTo(DeadlineChange.Cause.EXTENSION_APPROVED));
        assertThat(lead.reviews()).extracting(Review::outcome).containsExactly(Review.Outcome.RETURNED,
                Review.Outcome.APPROVED);
        assertThat(task.evaluation().score()).isEqualTo(92.5);
        assertThat(task.outbox()).extracting(OutboxEvent::type).contains(TaskEventTypes.ACKNOWLEDGED,
                TaskEventTypes.PROGRESS_REPORTED, TaskEventTypes.EXTENSION_REQUESTED, TaskEventTypes.EXTENSION_DECIDED,
                TaskEventTypes.DEADLINE_CHANGED, TaskEventTypes.COMPLETION_REQUESTED, TaskEventTypes.REVIEWED,
                TaskEventTypes.EVALUATED);
        assertThat(task.light()).isEqualTo(Light.NONE);
    }

    @Test
    void anIllegalTransitionNamesTheActionsThatAreAllowed() {
        Task task = registered();

        assertThatThrownBy(() -> task.requestCompletion("done", at(FGJ, MONDAY_MORNING)))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.action()).isEqualTo(Action.REQUEST_COMPLETION);
                    assertThat(e.allowed()).containsExactlyInAnyOrder(Action.ACKNOWLEDGE, Action.REQUEST_EXTENSION);
                });
    }

    @Test
    void aUnitActsOnlyOnItsOwnAssignmentAndTheOfficeOnlyAsTheOffice() {
        Task task = registered();

        assertThatThrownBy(() -> task.acknowledge(at(GXJ, MONDAY_MORNING))).isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> task.acknowledge(at(OFFICE, MONDAY_MORNING))).isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> task.urge(assignmentOf(task, "dept-fgj"), "快", at(FGJ, MONDAY_MORNING)))
                .isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> task.cancel("x", at(INSPECTOR, MONDAY_MORNING))).isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> task.cancel("x", at(LEADER, MONDAY_MORNING))).isInstanceOf(NotPermittedException.class);
    }

    @Test
    void progressNeverGoesBackAndOnlyTheLeadCitesCoUnits() {
        Task task = registered();
        task.acknowledge(at(FGJ, MONDAY_MORNING));
        task.acknowledge(at(YUANNAN, MONDAY_MORNING));
        task.reportProgress("一半", 50, false, List.of(), List.of("town-yuannan"), at(FGJ, MONDAY_MORNING));

        assertThatIllegalArgumentException().isThrownBy(() -> task.reportProgress("回退", 40, false, List.of(),
                List.of(), at(FGJ, MONDAY_MORNING)));
        assertThatIllegalArgumentException().isThrownBy(() -> task.reportProgress("引用", 10, false, List.of(),
                List.of("dept-fgj"), at(YUANNAN, MONDAY_MORNING)));
    }

    @Test
    void aCancelledTaskAllowsNothingAndItsAssignmentsClose() {
        Task task = registered();
        task.cancel("政策调整", at(OFFICE, MONDAY_MORNING));

        assertThat(task.assignments()).allMatch(a -> a.state() == AssignmentState.CLOSED);
        assertThat(task.allowedActions(OFFICE)).isEmpty();
        assertThatThrownBy(() -> task.acknowledge(at(FGJ, MONDAY_MORNING)))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void aSuspendedTaskCanOnlyBeResumedOrCancelled() {
        Task task = registered();
        task.suspend("等待批复", at(OFFICE, MONDAY_MORNING));

        assertThat(task.allowedActions(OFFICE)).containsExactlyInAnyOrder(Action.RESUME, Action.CANCEL);
        task.resume("已批复", at(OFFICE, MONDAY_MORNING));
        assertThat(task.status()).isEqualTo(TaskStatus.ACTIVE);
    }

    @Test
    void lightsTurnYellowWhenDueSoonOrUnacknowledgedAndRedWhenOverdue() {
        Task task = Task.register(newTask(LocalDate.parse("2026-03-20")), Optional.empty(), null,
                at(OFFICE, MONDAY_MORNING));
        assertThat(task.light()).isEqualTo(Light.GREEN);

        task.refreshLights(at(OFFICE, Instant.parse("2026-03-05T01:00:00Z")));
        assertThat(task.light()).as("unacknowledged for three working days").isEqualTo(Light.YELLOW);

        task.acknowledge(at(FGJ, Instant.parse("2026-03-05T02:00:00Z")));
        task.acknowledge(at(YUANNAN, Instant.parse("2026-03-05T02:00:00Z")));
        assertThat(task.light()).isEqualTo(Light.GREEN);

        task.refreshLights(at(OFFICE, Instant.parse("2026-03-17T01:00:00Z")));
        assertThat(task.light()).as("three working days left").isEqualTo(Light.YELLOW);

        task.refreshLights(at(OFFICE, Instant.parse("2026-03-21T01:00:00Z")));
        assertThat(task.light()).as("overdue").isEqualTo(Light.RED);
    }

    @Test
    void aMissedMonthlyReportTurnsTheLightYellowUntilTheUnitReports() {
        NewTask monthly = new NewTask(null, "t", null, null, "urban-economy", null, null, "dept-fgj", List.of(),
                LocalDate.parse("2026-12-31"), null, new ReportingCycle(ReportingCycle.Kind.MONTHLY, 25), List.of());
        Task task = Task.register(monthly, Optional.empty(), null, at(OFFICE, MONDAY_MORNING));
        task.acknowledge(at(FGJ, MONDAY_MORNING));

        task.refreshLights(at(OFFICE, Instant.parse("2026-03-27T01:00:00Z")));
        assertThat(task.light()).isEqualTo(Light.YELLOW);

        task.reportProgress("三月进展", 20, false, List.of(), List.of(), at(FGJ, Instant.parse("2026-03-27T02:00:00Z")));
        task.refreshLights(at(OFFICE, Instant.parse("2026-04-20T01:00:00Z")));
        assertThat(task.light()).as("the report in the next period is not due yet").isEqualTo(Light.GREEN);
    }

    @Test
    void aUnitSeesOnlyItsOwnAssignmentWhileTheOfficeSeesAll() {
        Task task = registered();

        assertThat(task.isVisibleTo(GXJ)).isFalse();
        assertThat(task.isVisibleTo(LEADER)).isTrue();
        assertThat(task.assignmentsVisibleTo(YUANNAN)).extracting(Assignment::unit).containsExactly("town-yuannan");
        assertThat(task.assignmentsVisibleTo(OFFICE)).hasSize(2);
    }

    @Test
    void aRememberedIdempotencyKeyMarksTheRequestAsApplied() {
        Task task = registered();
        task.rememberKey("k-1");

        assertThat(task.hasApplied("k-1")).isTrue();
        assertThat(task.hasApplied("k-2")).isFalse();
    }
}
