package gov.yuancheng.supervision.notify.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Something to tell people, whatever caused it. {@code key} is stable for the cause (a reminder's key, an
 * event's id): every channel derives its idempotency key from it, so a retried dispatch reaches nobody twice.
 */
public record Notification(String key, String kind, String taskId, String assignmentId, List<Addressee> to,
        Map<String, String> values, Instant dueAt, boolean late) {
}
