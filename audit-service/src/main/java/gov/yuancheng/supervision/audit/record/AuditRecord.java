package gov.yuancheng.supervision.audit.record;

import java.time.Instant;

import org.bson.Document;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * One event of any topic as the audit trail keeps it: who (actor), did what (type) to which object
 * (subject), when, from where, and the event's data. The event id is the primary key, so a redelivered
 * event can never become a second record.
 */
@org.springframework.data.mongodb.core.mapping.Document("audit_records")
public record AuditRecord(
        @Id String eventId,
        long seq,
        String topic,
        String type,
        String source,
        String subject,
        Instant time,
        Actor actor,
        String clientAddress,
        String userAgent,
        String traceparent,
        @Field("data") Document data,
        Instant recordedAt) {

    public record Actor(String id, String name, String unit, String roles) {
    }
}
