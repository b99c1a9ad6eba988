package gov.yuancheng.supervision.task.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import gov.yuancheng.supervision.task.domain.OutboxEvent;

/** A collection whose documents keep their unpublished events in an {@code outbox} array. */
public interface OutboxSource {

    /** Claims one document with pending events under a lease, so that no other relay publishes them meanwhile. */
    Optional<Pending> claim(Instant now, Duration lease);

    /** Removes the published events; releases the lease when nothing is left, so failures back off. */
    void markPublished(String documentId, Collection<String> eventIds, boolean all);

    /** The pending events of one document and the Kafka key (and CloudEvents subject) they are published under. */
    record Pending(String documentId, String key, List<OutboxEvent> events) {
    }
}
