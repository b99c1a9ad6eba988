package gov.yuancheng.supervision.task.calendar;

import java.time.LocalDate;
import java.util.List;

import gov.yuancheng.supervision.task.domain.OutboxEvent;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One year's public holidays and adjusted working days, as the State Council's notice gives them.
 * Its {@code outbox} holds the calendar event until the relay has published it.
 */
@Document("calendars")
public record CalendarYear(@Id int year, @Version Long version, List<LocalDate> holidays, List<LocalDate> workdays,
        String source, List<OutboxEvent> outbox) {

    public CalendarYear {
        holidays = holidays == null ? List.of() : List.copyOf(holidays);
        workdays = workdays == null ? List.of() : List.copyOf(workdays);
        outbox = outbox == null ? List.of() : outbox;
    }
}
