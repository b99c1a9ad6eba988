package gov.yuancheng.supervision.gateway.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;

import io.cloudevents.jackson.JsonFormat;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * Publishes the stored security events to {@code supervision.security-events}, oldest first, keyed by the actor.
 * Each replica claims one event at a time with a lease, so replicas share the work and a replica that dies while
 * sending leaves the event to another after the lease; a send that happened just before such a death is repeated,
 * and consumers drop the repeat by the event id.
 */
@Component
class SecurityEventRelay {

    private static final Logger log = LoggerFactory.getLogger(SecurityEventRelay.class);

    private final ReactiveMongoTemplate mongo;
    private final KafkaTemplate<String, byte[]> kafka;
    private final String topic;
    private final Duration lease;
    private final Duration keep;
    private final Clock clock = Clock.systemUTC();

    SecurityEventRelay(ReactiveMongoTemplate mongo, KafkaTemplate<String, byte[]> kafka,
            @Value("${supervision.topics.security-events}") String topic,
            @Value("${supervision.security-events.lease:30s}") Duration lease,
            @Value("${supervision.security-events.keep:1d}") Duration keep) {
        this.mongo = mongo;
        this.kafka = kafka;
        this.topic = topic;
        this.lease = lease;
        this.keep = keep;
        mongo.indexOps(SecurityEvents.OUTBOX).createIndex(new Index().on("published", Sort.Direction.ASC)
                .on("createdAt", Sort.Direction.ASC)).onErrorComplete().subscribe();
    }

    @Scheduled(fixedDelayString = "${supervision.security-events.poll-interval:500ms}")
    void relay() {
        for (int i = 0; i < 500; i++) {
            Document claimed = claim();
            if (claimed == null || !publish(claimed)) {
                return;
            }
        }
    }

    /** Published events are kept a while for operators, then removed: the audit trail holds them for good. */
    @Scheduled(fixedDelayString = "${supervision.security-events.cleanup-interval:10m}")
    void forgetPublished() {
        var old = Query.query(where("published").is(true).and("createdAt").lt(Date.from(clock.instant().minus(keep))));
        mongo.remove(old, SecurityEvents.OUTBOX).onErrorComplete().block(Duration.ofSeconds(30));
    }

    private Document claim() {
        Instant now = clock.instant();
        var due = Query.query(where("published").is(false).and("leaseUntil").lt(Date.from(now)))
                .with(Sort.by("createdAt"));
        try {
            return mongo.findAndModify(due, Update.update("leaseUntil", Date.from(now.plus(lease))),
                    FindAndModifyOptions.options().returnNew(true), Document.class, SecurityEvents.OUTBOX)
                    .block(Duration.ofSeconds(5));
        }
        catch (RuntimeException e) {
            log.warn("The security events' outbox cannot be read: {}", e.toString());
            return null;
        }
    }

    private boolean publish(Document claimed) {
        var record = new ProducerRecord<String, byte[]>(topic, claimed.getString("key"),
                claimed.getString("event").getBytes(StandardCharsets.UTF_8));
        record.headers().add("content-type", JsonFormat.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        try {
            kafka.send(record).get(lease.toMillis() / 2, TimeUnit.MILLISECONDS);
        }
        catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("Publishing security event {} failed; retrying after the lease: {}", claimed.get("_id"), e.toString());
            return false;
        }
        mongo.updateFirst(Query.query(where("_id").is(claimed.get("_id"))),
                Update.update("published", true).set("publishedAt", Date.from(clock.instant())), SecurityEvents.OUTBOX)
                .block(Duration.ofSeconds(5));
        return true;
    }

    @Configuration
    static class Topic {

        @Bean
        NewTopic securityEventsTopic(@Value("${supervision.topics.security-events}") String name,
                @Value("${TOPIC_PARTITIONS:3}") int partitions, @Value("${TOPIC_REPLICAS:1}") short replicas) {
            return TopicBuilder.name(name).partitions(partitions).replicas(replicas).build();
        }
    }
}
