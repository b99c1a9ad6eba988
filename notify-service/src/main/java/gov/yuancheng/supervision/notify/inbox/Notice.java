package gov.yuancheng.supervision.notify.inbox;

import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A notice in an inbox: addressed to a unit (every member sees it) or to one user. Its id derives from
 * what caused it (an event, a reminder's key), so a redelivery never makes a second notice. {@code late}
 * marks a reminder that went out after its due instant because the service was down.
 */
@Document("notices")
public record Notice(@Id String id, String recipientUnit, String recipientUser, String kind, String taskId,
        String title, String body, Instant createdAt, List<String> readBy, Instant dueAt, boolean late) {

    public Notice {
        readBy = readBy == null ? List.of() : readBy;
    }
}
