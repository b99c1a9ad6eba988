package gov.yuancheng.supervision.notify.delivery;

import java.time.Instant;
import java.util.Map;

/**
 * A notification event waiting to be published on {@code supervision.notification-events}. Its id is derived from
 * what it reports, so reporting the same send twice makes the same event, which consumers take once.
 */
public record PendingEvent(String id, String type, String subject, Instant time, Map<String, Object> data) {
}
