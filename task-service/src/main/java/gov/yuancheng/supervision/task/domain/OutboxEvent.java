package gov.yuancheng.supervision.task.domain;

import java.time.Instant;
import java.util.Map;

/**
 * An event waiting in its task's document until the relay has published it. Kept inside the task
 * so that the change and its events are one atomic write; {@code data} holds only JSON-ready values.
 */
public record OutboxEvent(String id, String type, Instant time, Actor actor, RequestOrigin origin,
        Map<String, Object> data) {
}
