package gov.yuancheng.supervision.notify.events;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import gov.yuancheng.supervision.notify.delivery.EventOutbox;
import gov.yuancheng.supervision.notify.delivery.OutboxEntry;
import gov.yuancheng.supervision.notify.delivery.PendingEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes the stored notification events to {@code supervision.notification-events} as structured-mode
 * CloudEvents keyed by task id, and removes each only after the broker acknowledged it. Consumers
 * (audit-service, and the live-push relay of every replica) deduplicate on the event id.
 */
@Component
public class NotificationRelay {

    static final URI SOURCE = URI.create("/supervision/notify-service");
    private static final Logger log = LoggerFactory.getLogger(NotificationRelay.class);
    private static final int ENTRIES = 10;

    private final EventOutbox outbox;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final Clock clock;
    private final String topic;

    NotificationRelay(EventOutbox outbox, KafkaTemplate<String, byte[]> kafka, JsonMapper json, Clock clock,
            @Value("${supervision.topics.notification-events}") String topic) {
        this.outbox = outbox;
        this.kafka = kafka;
        this.json = json;
        this.clock = clock;
        this.topic = topic;
    }

    /**
     * Publishes what is waiting, up to ten stored entries (each the events written together, up to a few hundred) at a
     * time, all their events sent side by side; an entry is removed once the broker acknowledged every one of its
     * events. Stops at the first failure: the entry keeps its lease until it ends, then this or another replica
     * publishes it again (consumers take an event id once).
     */
    @Scheduled(fixedDelayString = "${supervision.notify.events.poll-interval:300ms}")
    public void relay() {
        for (int round = 0; round < 20; round++) {
            List<OutboxEntry> entries = outbox.claim(clock.instant(), Duration.ofSeconds(30), ENTRIES);
            List<List<CompletableFuture<?>>> sends = new ArrayList<>();
            for (OutboxEntry entry : entries) {
                sends.add(entry.events().stream().<CompletableFuture<?>>map(event -> kafka.send(record(event))).toList());
            }
            List<String> published = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                try {
                    for (CompletableFuture<?> send : sends.get(i)) {
                        send.get(10, TimeUnit.SECONDS);
                    }
                    published.add(entries.get(i).id());
                }
                catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    log.warn("Publishing notification events {} failed; retried after the lease: {}",
                            entries.get(i).id(), e.toString());
                }
            }
            outbox.published(published);
            if (entries.size() < ENTRIES || published.size() < entries.size()) {
                return;
            }
        }
    }

    ProducerRecord<String, byte[]> record(PendingEvent event) {
        return KafkaMessageFactory.createWriter(topic, null, null, event.subject())
                .writeStructured(toCloudEvent(event), JsonFormat.CONTENT_TYPE);
    }

    CloudEvent toCloudEvent(PendingEvent event) {
        return CloudEventBuilder.v1()
                .withId(event.id())
                .withType(event.type())
                .withSource(SOURCE)
                .withSubject(event.subject())
                .withTime(event.time().atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(json.writeValueAsBytes(event.data()))
                .build();
    }
}
