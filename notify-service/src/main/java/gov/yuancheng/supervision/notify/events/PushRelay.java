package gov.yuancheng.supervision.notify.events;

import java.util.LinkedHashMap;
import java.util.Map;

import gov.yuancheng.supervision.notify.delivery.EventOutbox;
import gov.yuancheng.supervision.notify.push.PushHub;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Live push for every replica: each one reads the notification events in a consumer group of its own
 * (so all replicas see every event, from the newest on) and pushes the inbox deliveries to the browsers
 * connected to it. The browser may reconnect to any replica behind the gateway.
 */
@Component
class PushRelay {

    private final PushHub hub;
    private final JsonMapper json;

    PushRelay(PushHub hub, JsonMapper json) {
        this.hub = hub;
        this.json = json;
    }

    @KafkaListener(topics = "${supervision.topics.notification-events}",
            groupId = "notify-push-#{T(java.util.UUID).randomUUID()}", properties = "auto.offset.reset=latest")
    void onNotificationEvent(ConsumerRecord<String, byte[]> message) {
        CloudEvent event = TaskEventListener.parse(message.value());
        if (!EventOutbox.SENT.equals(event.getType()) || event.getData() == null) {
            return;
        }
        JsonNode data = json.readTree(event.getData().toBytes());
        if (!"INBOX".equals(data.path("channel").asString())) {
            return;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("noticeId", data.path("noticeId").asString());
        payload.put("kind", data.path("kind").asString());
        payload.put("taskId", data.path("taskId").asString(null));
        payload.put("title", data.path("title").asString());
        payload.put("late", data.path("late").asBoolean());
        hub.push(data.path("recipient").asString(), event.getId(), payload);
    }
}
