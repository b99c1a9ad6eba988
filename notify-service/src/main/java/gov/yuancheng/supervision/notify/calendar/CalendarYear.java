package gov.yuancheng.supervision.notify.calendar;

import java.time.LocalDate;
import java.util.Set;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** The published working-day calendar of one year, as task-service's calendar event stated it. */
@Document("calendars")
public record CalendarYear(@Id int year, long version, Set<LocalDate> holidays, Set<LocalDate> workdays) {

    public CalendarYear {
        holidays = holidays == null ? Set.of() : Set.copyOf(holidays);
        workdays = workdays == null ? Set.of() : Set.copyOf(workdays);
    }
}
