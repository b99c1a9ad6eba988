package gov.yuancheng.supervision.notify.delivery;

import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * Events stored together, as they were written together (the notices of a batch of reminders, or one delivery's
 * outcome), waiting to be published: one document to write, lease and remove instead of one per event. Its id is
 * derived from its events' ids, so storing the same events together again (a retried batch) stores nothing; events
 * stored again in another grouping are published again, and consumers take an event id once.
 */
@Document("event_outbox")
public record OutboxEntry(@Id String id, Instant time, List<PendingEvent> events, Instant leaseUntil) {
}
