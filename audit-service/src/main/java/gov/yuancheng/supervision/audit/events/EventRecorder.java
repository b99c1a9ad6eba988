package gov.yuancheng.supervision.audit.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import gov.yuancheng.supervision.audit.record.AuditLog;
import gov.yuancheng.supervision.audit.record.RecordDraft;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/** Appends every event of every topic to the audit log, once, whatever its type. */
@Component
class EventRecorder {

    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    /** Fractions as BigDecimal, so the leaf keeps the number the producer wrote rather than a double's rounding. */
    private static final JsonMapper DATA = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private final AuditLog auditLog;

    EventRecorder(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    /**
     * A poll's records are appended with one write. A record that cannot be parsed ends the batch there: the ones
     * before it are stored, and the error handler commits them and sends it to the dead-letter topic.
     */
    @KafkaListener(id = "audit-recorder", batch = "true", topics = {"${supervision.topics.task-events}",
            "${supervision.topics.notification-events}", "${supervision.topics.security-events}"})
    void record(List<ConsumerRecord<String, byte[]>> messages) {
        List<RecordDraft> drafts = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            ConsumerRecord<String, byte[]> message = messages.get(i);
            try {
                drafts.add(toDraft(message.topic(), parse(message.value())));
            }
            catch (InvalidEventException e) {
                append(drafts);
                throw new BatchListenerFailedException(e.getMessage(), e, i);
            }
        }
        int added = append(drafts);
        log.debug("Recorded {} of {} events", added, drafts.size());
    }

    /**
     * A store failure names the batch's first record as the failed one, so that the error handler retries the batch
     * from there until the store is back (see KafkaConfig) instead of giving the whole batch up to the dead letters;
     * records stored before the failure are deduplicated by their event ids on the retry.
     */
    private int append(List<RecordDraft> drafts) {
        try {
            return auditLog.appendAll(drafts);
        }
        catch (DataAccessException e) {
            throw new BatchListenerFailedException("The store did not take the batch: " + e.getMessage(), e, 0);
        }
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

    private RecordDraft toDraft(String topic, CloudEvent event) {
        Map<String, Object> data = null;
        if (event.getData() != null) {
            try {
                data = DATA.readValue(event.getData().toBytes(), MAP);
            }
            catch (JacksonException e) {
                throw new InvalidEventException("The event's data is not a JSON object: " + e.getOriginalMessage());
            }
        }
        var actor = new RecordDraft.Actor(text(event, "actorid"), text(event, "actorname"), text(event, "actororg"),
                text(event, "actorroles"));
        Instant time = event.getTime() == null ? null : event.getTime().toInstant();
        return new RecordDraft(event.getId(), topic, event.getType(), event.getSource().toString(), event.getSubject(),
                time, actor, text(event, "clientaddress"), text(event, "useragent"), text(event, "traceparent"), data);
    }

    private static String text(CloudEvent event, String extension) {
        Object value = event.getExtension(extension);
        return value == null ? null : value.toString();
    }
}
