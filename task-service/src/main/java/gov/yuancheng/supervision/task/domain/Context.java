package gov.yuancheng.supervision.task.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Who changes a task, from where, when, and the calendar and rules that apply. */
public record Context(Actor actor, RequestOrigin origin, Instant now, ZoneId zone, WorkdayCalendar calendar,
        LightRules rules) {

    public LocalDate today() {
        return now.atZone(zone).toLocalDate();
    }
}
