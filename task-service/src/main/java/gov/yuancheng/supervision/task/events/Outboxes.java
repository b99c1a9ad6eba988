package gov.yuancheng.supervision.task.events;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoTemplate;

/** The collections whose documents carry outboxes: the tasks, and the calendar years. */
@Configuration(proxyBeanMethods = false)
public class Outboxes {

    @Bean
    public DocumentOutbox taskOutbox(MongoTemplate mongo) {
        return new DocumentOutbox(mongo, "tasks", id -> id, String::valueOf);
    }

    @Bean
    public DocumentOutbox calendarOutbox(MongoTemplate mongo) {
        return new DocumentOutbox(mongo, "calendars", Integer::valueOf, year -> "calendar-" + year);
    }
}
