package gov.yuancheng.supervision.notify.delivery;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A send that waits in the queue: one per notification, channel and recipient, its id being exactly that
 * triple. Finished jobs leave the queue for {@code delivery_log} under the same id, which is what makes a
 * second enqueue of the same send a no-op.
 */
@Document("delivery_queue")
public record DeliveryJob(@Id String id, Channel channel, String recipient, String notificationKey, String kind,
        String taskId, String assignmentId, String subject, String body, Instant dueAt, boolean late, int attempts,
        Instant nextAttemptAt, Instant leaseUntil, boolean digest) {

    public enum Channel {
        EMAIL, WEBHOOK
    }

    public static String id(String notificationKey, Channel channel, String recipient) {
        return notificationKey + "|" + channel + "|" + recipient;
    }
}
