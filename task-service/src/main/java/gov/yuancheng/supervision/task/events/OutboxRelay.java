package gov.yuancheng.supervision.task.events;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import gov.yuancheng.supervision.task.domain.OutboxEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes the events waiting in outboxes (tasks, calendar years) to Kafka as structured-mode
 * CloudEvents, keyed by task id so that one task's events stay in order. At least once: an event
 * leaves the outbox only after the broker acknowledged it, in order; consumers deduplicate on the id.
 * While Kafka is down, writes go on and the events wait in their documents.
 */
@Component
@ConditionalOnProperty(name = "supervision.outbox.enabled", havingValue = "true", matchIfMissing = true)
class OutboxRelay {

    static final URI SOURCE = URI.create("/supervision/task-service");
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final List<OutboxSource> sources;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final Clock clock;
    private final String topic;
    private final Duration lease;
    private final int batch;

    OutboxRelay(List<OutboxSource> sources, KafkaTemplate<String, byte[]> kafka, JsonMapper json, Clock clock,
            @Value("${supervision.topics.task-events}") String topic,
            @Value("${supervision.outbox.lease:15s}") Duration lease,
            @Value("${supervision.outbox.batch:100}") int batch) {
        this.sources = sources;
        this.kafka = kafka;
        this.json = json;
        this.clock = clock;
        this.topic = topic;
        this.lease = lease;
        this.batch = batch;
    }

    @Scheduled(fixedDelayString = "${supervision.outbox.poll-interval:200ms}")
    void relay() {
        for (OutboxSource source : sources) {
            for (int i = 0; i < batch; i++) {
                var claimed = source.claim(clock.instant(), lease);
                if (claimed.isEmpty() || !publish(source, claimed.get())) {
                    break;
                }
            }
        }
    }

    private boolean publish(OutboxSource source, OutboxSource.Pending pending) {
        List<String> sent = new ArrayList<>();
        try {
            for (OutboxEvent event : pending.events()) {
                kafka.send(record(pending.key(), event)).get(lease.toMillis() / 2, TimeUnit.MILLISECONDS);
                sent.add(event.id());
            }
            return true;
        }
        catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("Publishing the events of {} failed; retrying after the lease: {}", pending.key(), e.toString());
            return false;
        }
        finally {
            source.markPublished(pending.documentId(), sent, sent.size() == pending.events().size());
        }
    }

    ProducerRecord<String, byte[]> record(String key, OutboxEvent event) {
        ProducerRecord<String, byte[]> record = KafkaMessageFactory.createWriter(topic, null, null, key)
                .writeStructured(toCloudEvent(key, event), JsonFormat.CONTENT_TYPE);
        if (event.origin() != null && event.origin().traceparent() != null) {
            record.headers().add("traceparent", event.origin().traceparent().getBytes(StandardCharsets.US_ASCII));
        }
        return record;
    }

    CloudEvent toCloudEvent(String subject, OutboxEvent event) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(event.id())
                .withType(event.type())
                .withSource(SOURCE)
                .withSubject(subject)
                .withTime(event.time().atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(json.writeValueAsBytes(event.data()));
        var actor = event.actor();
        if (actor != null) {
            extension(builder, "actorid", actor.id());
            extension(builder, "actorname", actor.name());
            extension(builder, "actororg", actor.unit());
            extension(builder, "actorroles", String.join(",", actor.roles()));
        }
        var origin = event.origin();
        if (origin != null) {
            extension(builder, "clientaddress", origin.clientAddress());
            extension(builder, "useragent", origin.userAgent());
            extension(builder, "traceparent", origin.traceparent());
        }
        return builder.build();
    }

    private static void extension(CloudEventBuilder builder, String name, String value) {
        if (value != null && !value.isBlank()) {
            builder.withExtension(name, value);
        }
    }
}
