package gov.yuancheng.supervision.notify.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import gov.yuancheng.supervision.notify.inbox.Inbox;
import gov.yuancheng.supervision.notify.inbox.Notice;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Turns task events into notices (this consumer's own reading of task-service's contract). */
@Component
class TaskEventListener {

    static final String ASSIGNED = "gov.supervision.task.assigned.v1";
    private static final Logger log = LoggerFactory.getLogger(TaskEventListener.class);

    private final Inbox inbox;
    private final JsonMapper json;
    private final Clock clock;

    TaskEventListener(Inbox inbox, JsonMapper json, Clock clock) {
        this.inbox = inbox;
        this.json = json;
        this.clock = clock;
    }

    /** The part of {@code task.assigned.v1} that this service reads. */
    record TaskAssigned(String taskId, String unit, String role, String title, String deadline) {
    }

    @KafkaListener(id = "notify-task-events", topics = "${supervision.topics.task-events}")
    void onTaskEvent(ConsumerRecord<String, byte[]> message) {
        CloudEvent event = parse(message.value());
        if (ASSIGNED.equals(event.getType())) {
            TaskAssigned assigned = data(event, TaskAssigned.class);
            String role = "LEAD".equals(assigned.role()) ? "牵头单位" : "配合单位";
            boolean delivered = inbox.deliver(new Notice(event.getId(), assigned.unit(), null, "ASSIGNED",
                    assigned.taskId(), "新交办事项：" + assigned.title(),
                    "您单位为该事项的" + role + "，办理期限 " + assigned.deadline() + "。请及时签收。", clock.instant(), null));
            log.debug("Assignment notice {} for {}: {}", event.getId(), assigned.unit(), delivered ? "delivered" : "duplicate");
        }
    }

    private <T> T data(CloudEvent event, Class<T> type) {
        if (event.getData() == null) {
            throw new InvalidEventException("Event " + event.getId() + " has no data.");
        }
        try {
            return json.readValue(event.getData().toBytes(), type);
        }
        catch (JacksonException e) {
            throw new InvalidEventException("Event " + event.getId() + " has unreadable data: " + e.getOriginalMessage());
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
            throw new InvalidEventException("Not a CloudEvent in structured JSON mode: "
                    + new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.UTF_8));
        }
    }
}
