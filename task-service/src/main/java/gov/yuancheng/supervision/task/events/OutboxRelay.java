package gov.yuancheng.supervision.task.events;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

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
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes the events waiting in outboxes (tasks, calendar years) to Kafka as structured-mode
 * CloudEvents, keyed by task id so that one task's events stay in order. At least once: an event
 * leaves the outbox only after the broker acknowledged it, in order; consumers deduplicate on the id.
 *
 * <p>A store tells the relay of every write that queued events, and the relay publishes them at once, claiming that
 * one document by its id, or with no claim when the write took the document's lease itself (it found nothing
 * pending there); the writes it was told of meanwhile are published together (every event sent at once, then
 * waited for, and the published events removed in one write), so that the relay keeps up with many writers. A sweep claims whatever is still pending: events whose publication failed (the broker was
 * down: they wait for their lease to expire), or that another replica wrote and did not publish before it stopped.
 * It runs again at once after a full batch, every {@code sweep-interval} while it finds something or a publication
 * failed, and every {@code idle-sweep-interval} otherwise (on a store without secondary indexes a sweep reads every
 * document). So the relay's cost grows with the changes made, not with the tasks stored. While Kafka is down, writes
 * go on and the events wait in their documents.
 */
@Component
@ConditionalOnProperty(name = "supervision.outbox.enabled", havingValue = "true", matchIfMissing = true)
class OutboxRelay implements SmartLifecycle {

    static final URI SOURCE = URI.create("/supervision/task-service");
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final List<DocumentOutbox> outboxes;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final Clock clock;
    private final String topic;
    private final Duration lease;
    private final int batch;
    private final Duration sweepInterval;
    private final Duration idleSweepInterval;
    /** Set when a publication failed since the last sweep began: the next sweep comes soon. */
    private volatile boolean failed;
    /**
     * Set when a document the relay was told of could not be claimed since the last sweep began: another relay may
     * hold it, or a write that took its lease had not yet handed its events over; the next sweep comes soon.
     */
    private volatile boolean missed;
    /** Writes the relay was told of; when full, the sweep finds the rest. */
    private final BlockingQueue<DocumentOutbox.Written> written = new LinkedBlockingQueue<>(10_000);
    private volatile boolean running;
    private Thread thread;

    OutboxRelay(List<DocumentOutbox> outboxes, KafkaTemplate<String, byte[]> kafka, JsonMapper json, Clock clock,
            @Value("${supervision.topics.task-events}") String topic,
            @Value("${supervision.outbox.lease:15s}") Duration lease,
            @Value("${supervision.outbox.batch:100}") int batch,
            @Value("${supervision.outbox.sweep-interval:5s}") Duration sweepInterval,
            @Value("${supervision.outbox.idle-sweep-interval:60s}") Duration idleSweepInterval) {
        this.outboxes = outboxes;
        this.kafka = kafka;
        this.json = json;
        this.clock = clock;
        this.topic = topic;
        this.lease = lease;
        this.batch = batch;
        this.sweepInterval = sweepInterval;
        this.idleSweepInterval = idleSweepInterval;
    }

    @EventListener
    void on(DocumentOutbox.Written write) {
        written.offer(write);
    }

    /** The sweep: claims and publishes up to {@code batch} documents with pending events of each outbox. */
    int relay() {
        int published = 0;
        for (DocumentOutbox outbox : outboxes) {
            List<DocumentOutbox.Pending> claimed = new ArrayList<>();
            while (claimed.size() < batch) {
                Optional<DocumentOutbox.Pending> next = outbox.claim(clock.instant(), lease);
                if (next.isEmpty()) {
                    break;
                }
                claimed.add(next.get());
            }
            published += publish(outbox, claimed);
        }
        return published;
    }

    /**
     * Publishes what the writes queued, and what was queued in the same documents while they were made: first the
     * events of the writes that took their document's lease themselves, then those of the documents it claims. A
     * write that found another's events pending is claimed after those are published and the lease released, so one
     * document's events leave in the order they were written. A write whose lease has less left than a publication
     * may wait for the broker (half the lease: after an outage the relay works through a backlog) is claimed like the
     * others: once its lease ends, a sweep may have published its events already.
     */
    void relay(List<DocumentOutbox.Written> writes) {
        Instant fresh = clock.instant().plus(lease.dividedBy(2));
        for (DocumentOutbox outbox : outboxes) {
            Map<Boolean, List<DocumentOutbox.Written>> inHand = writes.stream()
                    .filter(write -> outbox.collection().equals(write.collection()))
                    .collect(Collectors.partitioningBy(write -> write.leased() != null
                            && write.leasedUntil().isAfter(fresh)));
            publish(outbox, inHand.get(true).stream().map(DocumentOutbox.Written::leased).toList());
            List<String> told = inHand.get(false).stream()
                    .map(DocumentOutbox.Written::documentId).distinct().toList();
            List<DocumentOutbox.Pending> claimed = told.stream()
                    .flatMap(id -> outbox.claim(id, clock.instant(), lease).stream()).toList();
            missed |= claimed.size() < told.size();
            publish(outbox, claimed);
        }
    }

    private void run() {
        long nextSweep = System.nanoTime();
        while (running) {
            try {
                if (System.nanoTime() - nextSweep >= 0) {
                    failed = false;
                    missed = false;
                    int published = relay();
                    // A full batch: more are waiting (after an outage), so at once; some or a failure: soon.
                    Duration next = published >= batch ? Duration.ZERO
                            : published > 0 || failed || missed ? sweepInterval : idleSweepInterval;
                    nextSweep = System.nanoTime() + next.toNanos();
                }
                var write = written.poll(nextSweep - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (write != null) {
                    List<DocumentOutbox.Written> writes = new ArrayList<>();
                    writes.add(write);
                    written.drainTo(writes, batch - 1);
                    relay(writes);
                    long soon = System.nanoTime() + sweepInterval.toNanos();
                    if ((failed || missed) && nextSweep - soon > 0) {
                        nextSweep = soon;
                    }
                }
            }
            catch (InterruptedException e) {
                return;
            }
            catch (RuntimeException e) {
                // The store is down or slow: the events wait in their documents; try again after a pause.
                log.warn("The outbox relay could not reach the store: {}", e.toString());
                try {
                    Thread.sleep(1000);
                }
                catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Sends every event of the claimed documents at once, then waits for the broker's acknowledgements and removes
     * each document's events up to its first failure (the rest wait for the lease to end). Answers how many documents
     * were published whole. An event sent after one that failed may have reached the broker too and is sent again
     * later: at least once, as consumers expect.
     */
    private int publish(DocumentOutbox outbox, List<DocumentOutbox.Pending> claimed) {
        if (claimed.isEmpty()) {
            return 0;
        }
        List<List<CompletableFuture<?>>> sends = new ArrayList<>();
        RuntimeException refused = null;
        for (DocumentOutbox.Pending pending : claimed) {
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (OutboxEvent event : pending.events()) {
                try {
                    // once the producer refused one (no broker to ask where the topic is), the rest wait too
                    sent.add(refused == null ? kafka.send(record(pending.key(), event))
                            : CompletableFuture.failedFuture(refused));
                }
                catch (RuntimeException e) {
                    refused = e;
                    sent.add(CompletableFuture.failedFuture(e));
                }
                if (refused != null) {
                    break;
                }
            }
            sends.add(sent);
        }
        long deadline = System.nanoTime() + lease.toNanos() / 2;
        List<DocumentOutbox.Published> published = new ArrayList<>();
        int whole = 0;
        Exception failure = null;
        for (int i = 0; i < claimed.size(); i++) {
            DocumentOutbox.Pending pending = claimed.get(i);
            List<String> acknowledged = new ArrayList<>();
            for (CompletableFuture<?> send : sends.get(i)) {
                try {
                    send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    acknowledged.add(pending.events().get(acknowledged.size()).id());
                }
                catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    failure = failure == null ? e : failure;
                    break;
                }
            }
            boolean all = acknowledged.size() == pending.events().size();
            whole += all ? 1 : 0;
            published.add(new DocumentOutbox.Published(pending.documentId(), acknowledged, all));
        }
        outbox.markPublished(published);
        if (failure != null) {
            failed = true;
            log.warn("Publishing the events of {} of {} documents failed; retrying after the lease: {}",
                    claimed.size() - whole, claimed.size(), failure.toString());
        }
        return whole;
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
