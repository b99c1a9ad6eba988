package gov.yuancheng.supervision.notify.calendar;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.springframework.data.mongodb.core.FindAndReplaceOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * The stored calendars. Every replica reads them from the store (briefly cached) rather than from the
 * event it happened to consume, because only one replica of the consumer group sees each calendar event.
 */
@Component
public class Calendars {

    private static final Duration CACHE = Duration.ofSeconds(30);

    private final MongoTemplate mongo;
    private final Clock clock;
    private volatile WorkingDayCalendar cached;
    private volatile Instant loadedAt = Instant.MIN;

    public Calendars(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    public WorkingDayCalendar current() {
        Instant now = clock.instant();
        if (cached == null || loadedAt.plus(CACHE).isBefore(now) || loadedAt.isAfter(now)) {
            Map<Integer, CalendarYear> years = new HashMap<>();
            mongo.findAll(CalendarYear.class).forEach(y -> years.put(y.year(), y));
            cached = new WorkingDayCalendar(years);
            loadedAt = now;
        }
        return cached;
    }

    /** Stores a year's calendar unless a newer version is already there; true when it replaced what was stored. */
    public boolean publish(CalendarYear year) {
        CalendarYear stored = mongo.findById(year.year(), CalendarYear.class);
        if (stored != null && stored.version() >= year.version()) {
            return false;
        }
        mongo.findAndReplace(new Query(Criteria.where("_id").is(year.year())), year,
                FindAndReplaceOptions.options().upsert());
        cached = null;
        return true;
    }
}
