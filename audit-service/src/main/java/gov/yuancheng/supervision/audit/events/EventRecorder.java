package gov.yuancheng.supervision.audit.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

import gov.yuancheng.supervision.audit.record.AuditLog;
import gov.yuancheng.supervision.audit.record.AuditRecord;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Appends every event of every topic to the audit log, once, whatever its type. */
@Component
class EventRecorder {

    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    private final AuditLog auditLog;
    private final Clock clock;

    EventRecorder(AuditLog auditLog, Clock clock) {
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @KafkaListener(id = "audit-recorder", topics = {"${supervision.topics.task-events}",
            "${supervision.topics.notification-events}", "${supervision.topics.security-events}"})
    void record(ConsumerRecord<String, byte[]> message) {
        CloudEvent event = parse(message.value());
        boolean added = auditLog.append(seq -> toRecord(seq, message.topic(), event), event.getId());
        log.debug("{} event {} of type {} from {}", added ? "Recorded" : "Already had", event.getId(), event.getType(),
                message.topic());
    }

    static CloudEvent parse(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidEventException("An event without a value.");
        }
        try {
            return EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE).deserialize(bytes);
        }
        catch (EventDeserializationException | IllegalStateException | IllegalArgumentException e) {
            throw new InvalidEventException("Not a CloudEvent in structured JSON mode: " + e.getMessage());
        }
    }

    private AuditRecord toRecord(long seq, String topic, CloudEvent event) {
        Document data = event.getData() == null ? null
                : Document.parse(new String(event.getData().toBytes(), StandardCharsets.UTF_8));
        var actor = new AuditRecord.Actor(text(event, "actorid"), text(event, "actorname"), text(event, "actororg"),
                text(event, "actorroles"));
        Instant time = event.getTime() == null ? null : event.getTime().toInstant();
        return new AuditRecord(event.getId(), seq, topic, event.getType(), event.getSource().toString(),
                event.getSubject(), time, actor, text(event, "clientaddress"), text(event, "useragent"),
                text(event, "traceparent"), data, clock.instant());
    }

    private static String text(CloudEvent event, String extension) {
        Object value = event.getExtension(extension);
        return value == null ? null : value.toString();
    }
}
