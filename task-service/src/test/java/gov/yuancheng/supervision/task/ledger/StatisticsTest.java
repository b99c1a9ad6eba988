package gov.yuancheng.supervision.task.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import gov.yuancheng.supervision.task.calendar.WorkingCalendar;
import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Context;
import gov.yuancheng.supervision.task.domain.LightRules;
import gov.yuancheng.supervision.task.domain.NewTask;
import gov.yuancheng.supervision.task.domain.OutboxEvent;
import gov.yuancheng.supervision.task.domain.Priority;
import gov.yuancheng.supervision.task.domain.ReportingCycle;
import gov.yuancheng.supervision.task.domain.RequestOrigin;
import gov.yuancheng.supervision.task.domain.Roles;
import gov.yuancheng.supervision.task.domain.Source;
import gov.yuancheng.supervision.task.domain.Task;
import gov.yuancheng.supervision.task.domain.TaskEventTypes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatisticsTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final Actor OFFICE = new Actor("u1", "dcs-zhang", "张明", "office-dcs", List.of(Roles.SUPERVISOR));
    static final Actor FGJ = new Actor("u2", "fgj-li", "李华", "dept-fgj", List.of(Roles.UNIT));

    static Context at(Actor actor, String instant) {
        return new Context(actor, RequestOrigin.NONE, Instant.parse(instant), ZONE, WorkingCalendar.weekdaysOnly(),
                LightRules.DEFAULT);
    }

    @Test
    void aUnitThatAskedOnTimeIsOnTimeEvenWhenTheOfficeApprovesLateInTheFiguresAsInTheReviewEvent() {
        Task task = Task.register(new NewTask(null, "推进源城蔬菜区域品牌建设", null,
                new Source(Source.Kind.PARTY_CONGRESS_REPORT, "第八次党代会报告"), "rural-revitalization", Priority.NORMAL,
                null, "dept-fgj", List.of(), LocalDate.parse("2026-03-31"), null, ReportingCycle.NONE, List.of()),
                Optional.empty(), null, at(OFFICE, "2026-03-02T01:00:00Z"));
        task.acknowledge(at(FGJ, "2026-03-02T02:00:00Z"));
        task.requestCompletion("品牌已注册", at(FGJ, "2026-03-30T02:00:00Z"));
        String assignment = task.assignments().get(0).id();
        task.review(assignment, true, null, at(OFFICE, "2026-04-03T02:00:00Z"));

        var figures = Statistics.compute(Stream.of(task), OFFICE, Statistics.GroupBy.UNIT, LocalDate.parse("2026-01-01"),
                LocalDate.parse("2026-12-31"), LocalDate.parse("2026-04-10"), ZONE, WorkingCalendar.weekdaysOnly(),
                LightRules.DEFAULT).get("dept-fgj");

        assertThat(figures.completed()).isEqualTo(1);
        assertThat(figures.completedOnTime()).isEqualTo(1);
        assertThat(figures.averageDaysLate()).isZero();
        Object eventSays = task.outbox().stream().filter(e -> e.type().equals(TaskEventTypes.REVIEWED))
                .map(OutboxEvent::data).findFirst().orElseThrow().get("onTime");
        assertThat(eventSays).isEqualTo(true);
    }
}
