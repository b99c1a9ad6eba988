package gov.yuancheng.supervision.notify.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import gov.yuancheng.supervision.notify.store.Inserts;
import org.bson.Document;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Every send and every failure, stored before it is published so that a broker outage loses none: the
 * relay in {@code events} publishes and then removes them, an {@link OutboxEntry} at a time. The contract is
 * {@code contracts/notification-events.schema.json}.
 */
@Component
public class EventOutbox {

    public static final String SENT = "gov.supervision.notification.sent.v1";
    public static final String FAILED = "gov.supervision.notification.failed.v1";

    private final MongoTemplate mongo;
    private final Clock clock;

    public EventOutbox(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** The event that reports a notice put in an inbox; stored with {@link #add}, together with the notice. */
    PendingEvent sent(String deliveryId, String channel, String recipient, Notification n, String noticeId,
            String title) {
        Map<String, Object> data = base(deliveryId, channel, recipient, n.key(), n.kind(), n.taskId(), n.assignmentId(),
                title, n.dueAt(), n.late());
        if (noticeId != null) {
            data.put("noticeId", noticeId);
        }
        return event(SENT, "sent|" + deliveryId, n.taskId(), data);
    }

    public void sent(DeliveryJob job, String recipient) {
        Map<String, Object> data = base(job.id(), job.channel().name(), recipient, job.notificationKey(), job.kind(),
                job.taskId(), job.assignmentId(), job.subject(), job.dueAt(), job.late());
        add(List.of(event(SENT, "sent|" + job.id() + "|" + recipient, job.taskId(), data)));
    }

    public void failed(DeliveryJob job, String error, boolean giveUp) {
        Map<String, Object> data = base(job.id(), job.channel().name(), job.recipient(), job.notificationKey(),
                job.kind(), job.taskId(), job.assignmentId(), job.subject(), job.dueAt(), job.late());
        data.put("attempt", job.attempts() + 1);
        data.put("error", error == null ? "unknown" : error.length() > 500 ? error.substring(0, 500) : error);
        data.put("final", giveUp);
        add(List.of(event(FAILED, "failed|" + job.id() + "|" + (job.attempts() + 1), job.taskId(), data)));
    }

    /**
     * Claims up to {@code max} entries that no live lease holds, oldest first: one read of the waiting entries' ids,
     * then one conditional update by id that only the entries still unleased pass.
     */
    public List<OutboxEntry> claim(Instant now, Duration lease, int max) {
        Query waiting = new Query(Criteria.where("leaseUntil").lte(now)).with(Sort.by("time")).limit(max);
        waiting.fields().include("_id");
        String collection = mongo.getCollectionName(OutboxEntry.class);
        List<Object> ids = mongo.find(waiting, Document.class, collection).stream().map(d -> d.get("_id")).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        String token = UUID.randomUUID().toString();
        mongo.updateMulti(new Query(Criteria.where("_id").in(ids).and("leaseUntil").lte(now)),
                new Update().set("leaseUntil", now.plus(lease)).set("claim", token), OutboxEntry.class);
        return mongo.find(new Query(Criteria.where("_id").in(ids).and("claim").is(token)).with(Sort.by("time")),
                Document.class, collection).stream().map(this::entry).toList();
    }

    /** An entry as stored; one stored before events were kept together holds its single event at its top level. */
    private OutboxEntry entry(Document stored) {
        if (stored.containsKey("events")) {
            return mongo.getConverter().read(OutboxEntry.class, stored);
        }
        PendingEvent event = mongo.getConverter().read(PendingEvent.class, stored);
        return new OutboxEntry(event.id(), event.time(), List.of(event), Instant.EPOCH);
    }

    /** Removes the entries whose events the broker acknowledged, every one of them. */
    public void published(List<String> entryIds) {
        if (!entryIds.isEmpty()) {
            mongo.remove(new Query(Criteria.where("_id").in(entryIds)), OutboxEntry.class);
        }
    }

    private Map<String, Object> base(String deliveryId, String channel, String recipient, String key, String kind,
            String taskId, String assignmentId, String title, Instant dueAt, boolean late) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("deliveryId", deliveryId);
        data.put("notificationKey", key);
        data.put("kind", kind);
        data.put("channel", channel);
        data.put("recipient", recipient);
        if (taskId != null) {
            data.put("taskId", taskId);
        }
        if (assignmentId != null) {
            data.put("assignmentId", assignmentId);
        }
        data.put("title", title == null ? "" : title);
        if (dueAt != null) {
            data.put("dueAt", dueAt.toString());
        }
        data.put("late", late);
        return data;
    }

    /** Stores events together, unless the same events are stored already (an event's id derives from what it reports). */
    void add(List<PendingEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        String ids = events.stream().map(PendingEvent::id).collect(Collectors.joining(","));
        String id = UUID.nameUUIDFromBytes(ids.getBytes(StandardCharsets.UTF_8)).toString();
        Inserts.newOnly(mongo, OutboxEntry.class, List.of(new OutboxEntry(id, clock.instant(), events, Instant.EPOCH)));
    }

    private PendingEvent event(String type, String seed, String subject, Map<String, Object> data) {
        String id = UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
        data.put("at", clock.instant().toString());
        return new PendingEvent(id, type, subject == null ? "none" : subject, clock.instant(), data);
    }
}
