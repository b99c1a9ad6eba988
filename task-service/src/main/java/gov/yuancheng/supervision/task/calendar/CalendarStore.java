package gov.yuancheng.supervision.task.calendar;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.OutboxEvent;
import gov.yuancheng.supervision.task.domain.RequestOrigin;
import gov.yuancheng.supervision.task.domain.TaskEventTypes;
import gov.yuancheng.supervision.task.events.DocumentOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Repository;

/**
 * The calendar years, owned by this service. The years shipped with it (resources/calendar) are
 * stored on first start; an administrator replaces a year when the State Council publishes the next
 * notice. Each stored or replaced year is published as an event so that every service counts the
 * same working days.
 */
@Repository
public class CalendarStore {

    static final List<Integer> SHIPPED_YEARS = List.of(2025, 2026);
    private static final String CALENDARS = "calendars";
    private static final Logger log = LoggerFactory.getLogger(CalendarStore.class);
    private static final Actor SYSTEM = new Actor("task-service", "task-service", "系统", null, List.of());

    private final MongoTemplate mongo;
    private final JsonMapper json;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public CalendarStore(MongoTemplate mongo, JsonMapper json, Clock clock, ApplicationEventPublisher events) {
        this.mongo = mongo;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    public List<CalendarYear> all() {
        return mongo.findAll(CalendarYear.class);
    }

    public Optional<CalendarYear> year(int year) {
        return Optional.ofNullable(mongo.findById(year, CalendarYear.class));
    }

    /** Stores the shipped years that are not stored yet; replicas racing here insert each year once. */
    public void seedShippedYears() {
        for (int year : SHIPPED_YEARS) {
            if (mongo.exists(Query.query(Criteria.where("_id").is(year)), CalendarYear.class)) {
                continue;
            }
            try (InputStream in = getClass().getResourceAsStream("/calendar/" + year + ".json")) {
                JsonNode node = json.readTree(in);
                List<LocalDate> holidays = dates(node.get("holidays"));
                List<LocalDate> workdays = dates(node.get("workdays"));
                String source = node.get("source").asString();
                mongo.insert(new CalendarYear(year, null, holidays, workdays, source,
                        List.of(event(year, 0, holidays, workdays, source, SYSTEM, RequestOrigin.NONE))));
                written(year);
                log.info("Stored the shipped working-day calendar of {}", year);
            }
            catch (DuplicateKeyException e) {
                log.debug("Calendar {} was stored by another replica", year);
            }
            catch (IOException e) {
                throw new IllegalStateException("The shipped calendar of " + year + " cannot be read", e);
            }
        }
    }

    /** Replaces (or adds) a year; the new version and its event are one write. */
    public CalendarYear replace(int year, List<LocalDate> holidays, List<LocalDate> workdays, String source,
            Actor actor, RequestOrigin origin) {
        for (LocalDate date : concat(holidays, workdays)) {
            if (date.getYear() != year) {
                throw new IllegalArgumentException(date + " does not lie in " + year + ".");
            }
        }
        List<LocalDate> both = new ArrayList<>(holidays);
        both.retainAll(workdays);
        if (!both.isEmpty()) {
            throw new IllegalArgumentException(both.get(0) + " cannot be a holiday and a working day at once.");
        }
        CalendarYear current = year(year).orElse(null);
        long version = current == null || current.version() == null ? 0 : current.version() + 1;
        List<OutboxEvent> outbox = new ArrayList<>(current == null ? List.of() : current.outbox());
        outbox.add(event(year, version, holidays, workdays, source, actor, origin));
        CalendarYear saved = mongo.save(new CalendarYear(year, current == null ? null : current.version(), holidays,
                workdays, source, outbox));
        written(year);
        return saved;
    }

    /** The calendar years' outbox, for the relay: events keyed {@code calendar-<year>}. */
    @Bean
    public static DocumentOutbox calendarOutbox(MongoTemplate mongo) {
        return new DocumentOutbox(mongo, CALENDARS, Integer::valueOf, year -> "calendar-" + year);
    }

    /** Tells the outbox relay that the year has an event to publish. */
    private void written(int year) {
        events.publishEvent(new DocumentOutbox.Written(CALENDARS, String.valueOf(year)));
    }

    private OutboxEvent event(int year, long version, List<LocalDate> holidays, List<LocalDate> workdays,
            String source, Actor actor, RequestOrigin origin) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("year", year);
        data.put("version", version);
        data.put("holidays", holidays.stream().sorted().map(LocalDate::toString).toList());
        data.put("workdays", workdays.stream().sorted().map(LocalDate::toString).toList());
        data.put("source", source);
        return new OutboxEvent(UUID.randomUUID().toString(), TaskEventTypes.CALENDAR_PUBLISHED, clock.instant(), actor,
                origin, data);
    }

    private static List<LocalDate> dates(JsonNode array) {
        List<LocalDate> dates = new ArrayList<>();
        array.forEach(d -> dates.add(LocalDate.parse(d.asString())));
        return dates;
    }

    private static List<LocalDate> concat(List<LocalDate> a, List<LocalDate> b) {
        List<LocalDate> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
