package gov.yuancheng.supervision.audit.record;

import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One record as the store keeps it. The sequence number is the document id, so no two writers can ever hold the
 * same position; the event id has a unique index, so no event is recorded twice. {@code leaf} is the canonical
 * leaf (see {@link RecordDraft#leaf}) and is the record: the other fields are copies made for searching, and
 * {@code leafHash} is RFC 6962's leaf hash taken when the record was appended.
 */
@Document("audit_log")
public record StoredRecord(
        @Id long seq,
        String eventId,
        String leaf,
        byte[] leafHash,
        String subject,
        String type,
        String actorId,
        List<String> units,
        Instant time,
        String topic) {
}
