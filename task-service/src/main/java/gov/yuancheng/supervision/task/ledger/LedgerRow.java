package gov.yuancheng.supervision.task.ledger;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Assignment;
import gov.yuancheng.supervision.task.domain.ProgressReport;
import gov.yuancheng.supervision.task.domain.Task;

/** One line of the ledger: one assignment of one task, in the words of the office. */
record LedgerRow(List<String> cells) {

    static final List<String> HEADERS = List.of("督办编号", "事项名称", "类别", "来源", "优先级", "责任领导", "承办单位",
            "承办角色", "事项状态", "办理状态", "红黄绿灯", "原定期限", "当前期限", "签收时间", "进度（%）", "最近反馈",
            "最近反馈时间", "办结时间", "是否按期", "评价得分");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    static Stream<LedgerRow> of(Task task, Actor actor, ZoneId zone) {
        List<LedgerRow> rows = new ArrayList<>();
        for (Assignment a : task.assignmentsVisibleTo(actor)) {
            List<ProgressReport> reports = a.reports();
            ProgressReport last = reports.isEmpty() ? null : reports.get(reports.size() - 1);
            List<String> cells = List.of(task.id().substring(0, 8).toUpperCase(), task.title(),
                    Labels.category(task.category()), Labels.source(task.source()), Labels.priority(task.priority()),
                    nullToEmpty(task.responsibleLeader()), a.unit(), Labels.role(a.role()), Labels.status(task.status()),
                    Labels.state(a.state()), Labels.light(a.light()), a.originalDeadline().toString(),
                    a.deadline().toString(), time(a.acknowledgedAt(), zone), String.valueOf(a.percent()),
                    last == null ? "" : last.text(), last == null ? "" : time(last.at(), zone),
                    time(a.completedAt(), zone), a.completedAt() == null ? ""
                            : !a.completedAt().atZone(zone).toLocalDate().isAfter(a.deadline()) ? "是" : "否",
                    task.evaluation() == null ? "" : String.valueOf(task.evaluation().score()));
            rows.add(new LedgerRow(cells));
        }
        return rows.stream();
    }

    private static String time(java.time.Instant instant, ZoneId zone) {
        return instant == null ? "" : TIME.format(instant.atZone(zone));
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
