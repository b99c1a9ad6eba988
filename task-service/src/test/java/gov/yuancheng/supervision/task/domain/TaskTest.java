package gov.yuancheng.supervision.task.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TaskTest {

    static final Instant NOW = Instant.parse("2026-03-02T01:00:00Z");
    static final Actor OFFICE = new Actor("u1", "dcs-zhang", "张明", "office-dcs", List.of(Roles.SUPERVISOR));

    static Task registered() {
        return Task.register(new NewTask("推进高新区扩园", null, "dept-fgj", List.of("town-yuannan"),
                LocalDate.parse("2026-06-30"), "leader-liu"), OFFICE, RequestOrigin.NONE, NOW);
    }

    @Test
    void registeringAssignsTheLeadUnitAndEveryCoUnit() {
        Task task = registered();

        assertThat(task.assignments()).extracting(Assignment::unit, Assignment::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dept-fgj", AssignmentRole.LEAD),
                        org.assertj.core.groups.Tuple.tuple("town-yuannan", AssignmentRole.CO));
        assertThat(task.assignments()).allMatch(a -> a.state() == AssignmentState.ASSIGNED);
    }

    @Test
    void registeringPutsOneRegisteredAndOneAssignedEventPerUnitInTheOutbox() {
        Task task = registered();

        assertThat(task.outbox()).extracting(OutboxEvent::type).containsExactly(TaskEventTypes.REGISTERED,
                TaskEventTypes.ASSIGNED, TaskEventTypes.ASSIGNED);
        assertThat(task.outbox()).extracting(e -> e.data().get("taskId")).containsOnly(task.id());
        assertThat(task.outbox()).extracting(OutboxEvent::id).doesNotHaveDuplicates();
        assertThat(task.outbox().get(1).data()).containsEntry("unit", "dept-fgj").containsEntry("role", "LEAD")
                .containsEntry("deadline", "2026-06-30");
    }

    @Test
    void theLeadUnitCannotAlsoBeACoUnit() {
        assertThatIllegalArgumentException().isThrownBy(() -> Task.register(new NewTask("t", null, "dept-fgj",
                List.of("dept-fgj"), LocalDate.parse("2026-06-30"), null), OFFICE, RequestOrigin.NONE, NOW));
    }

    @Test
    void unitUserSeesOnlyTasksAssignedToTheirUnit() {
        Task task = registered();

        assertThat(task.isVisibleTo(new Actor("u2", "fgj-li", "李华", "dept-fgj", List.of(Roles.UNIT)))).isTrue();
        assertThat(task.isVisibleTo(new Actor("u3", "yn-wang", "王芳", "town-yuannan", List.of(Roles.UNIT)))).isTrue();
        assertThat(task.isVisibleTo(new Actor("u4", "gxj-chen", "陈刚", "dept-gxj", List.of(Roles.UNIT)))).isFalse();
    }

    @Test
    void aUnitClaimWithoutTheUnitRoleSeesNothing() {
        assertThat(registered().isVisibleTo(new Actor("u2", "x", "x", "dept-fgj", List.of()))).isFalse();
    }

    @Test
    void leaderSeesOnlyTasksTheyAnswerFor() {
        Task task = registered();

        assertThat(task.isVisibleTo(new Actor("u5", "leader-liu", "刘强", "district-leaders", List.of(Roles.LEADER))))
                .isTrue();
        assertThat(task.isVisibleTo(new Actor("u6", "leader-he", "何", "district-leaders", List.of(Roles.LEADER))))
                .isFalse();
    }

    @Test
    void officeAndInspectorsSeeEveryTask() {
        Task task = registered();

        assertThat(task.isVisibleTo(OFFICE)).isTrue();
        assertThat(task.isVisibleTo(new Actor("u7", "jw-zhao", "赵敏", "dept-jw", List.of(Roles.INSPECTOR)))).isTrue();
    }
}
