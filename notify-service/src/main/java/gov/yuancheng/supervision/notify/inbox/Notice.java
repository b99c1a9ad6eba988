package gov.yuancheng.supervision.notify.inbox;

import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A notice in an inbox: addressed to a unit (every member sees it) or to one user. Its id derives from
 * the event that caused it, so a redelivered event never makes a second notice.
 */
@Document("notices")
public record Notice(@Id String id, String recipientUnit, String recipientUser, String kind, String taskId,
        String title, String body, Instant createdAt, List<String> readBy) {

    public Notice {
        readBy = readBy == null ? List.of() : readBy;
    }
}
