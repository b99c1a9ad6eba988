package gov.yuancheng.supervision.notify.schedule;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The reminder rules, all configuration. Reminders go out at {@code sendTime} in {@code zone} on the day
 * they fall due; "n working days" always counts on the published working-day calendar.
 */
@ConfigurationProperties("supervision.notify.schedule")
public record ScheduleSettings(@DefaultValue("Asia/Shanghai") ZoneId zone, @DefaultValue("09:00") LocalTime sendTime,
        @DefaultValue({"3", "1"}) List<Integer> daysBefore, @DefaultValue("1") int acknowledgeWithinWorkingDays,
        @DefaultValue("1") int reportLeadWorkingDays, @DefaultValue({"3", "10"}) List<Integer> escalateAfterOverdueDays,
        @DefaultValue("office-dcs") String officeUnit, @DefaultValue("60s") Duration lease,
        @DefaultValue("1m") Duration lateAfter, @DefaultValue("500ms") Duration sweepInterval,
        @DefaultValue("8") int slotShards, @DefaultValue("2") int graceMinutes,
        @DefaultValue("1440") int catchUpMinutesPerSweep, @DefaultValue("1") int milestoneLeadWorkingDays,
        @DefaultValue("20s") Duration prepareAhead, @DefaultValue("20000") int prepareAtMost) {
}
