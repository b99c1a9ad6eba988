package gov.yuancheng.supervision.notify.delivery;

import java.time.Instant;
import java.util.Map;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A notification event waiting to be published on {@code supervision.notification-events}. Its id is
 * derived from what it reports, so reporting the same send twice makes one event.
 */
@Document("event_outbox")
public record PendingEvent(@Id String id, String type, String subject, Instant time, Map<String, Object> data,
        Instant leaseUntil) {
}
