package gov.yuancheng.supervision.task.calendar;


import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The working-day calendar in memory, reloaded from the store after a change and every minute, so
 * that a year replaced through another replica is seen here too.
 */
@Component
public class Calendars {

    private final CalendarStore store;
    private volatile WorkingCalendar current = WorkingCalendar.weekdaysOnly();

    public Calendars(CalendarStore store) {
        this.store = store;
    }

    @EventListener(ApplicationReadyEvent.class)
    void seedAndLoad() {
        store.seedShippedYears();
        reload();
    }

    @Scheduled(fixedDelayString = "${supervision.calendar.reload-interval:60s}",
            initialDelayString = "${supervision.calendar.reload-interval:60s}")
    public void reload() {
        current = new WorkingCalendar(store.all());
    }

    public WorkingCalendar current() {
        return current;
    }

}
