package gov.yuancheng.supervision.task.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import gov.yuancheng.supervision.task.domain.OutboxEvent;
import org.bson.Document;

import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * The outbox of one collection: its documents keep their unpublished events in an {@code outbox} array, and a
 * relay claims a document under a lease ({@code relayLeaseUntil}) before it publishes them, so that no other relay
 * does meanwhile. A claim names the document when the relay was told of the write (a lookup by {@code _id}, cheap on
 * any store), or takes any document with pending events on the sweep that catches what was missed. A write that found
 * nothing pending in its document takes the lease in the same update, and then needs no claim ({@link Written}).
 */
public final class DocumentOutbox {

    public static final String LEASE = "relayLeaseUntil";

    private final MongoTemplate mongo;
    private final String collection;
    private final Function<String, Object> id;
    private final Function<Object, String> key;

    /**
     * @param id the stored {@code _id} of a document id as the relay passes it around
     * @param key the Kafka key (and CloudEvents subject) of a document's events, from its stored {@code _id}
     */
    public DocumentOutbox(MongoTemplate mongo, String collection, Function<String, Object> id,
            Function<Object, String> key) {
        this.mongo = mongo;
        this.collection = collection;
        this.id = id;
        this.key = key;
    }

    public String collection() {
        return collection;
    }

    /** Claims any document with pending events whose lease is free or has expired. */
    public Optional<Pending> claim(Instant now, Duration lease) {
        return claim(Criteria.where("outbox._id").exists(true), now, lease);
    }

    /** Claims the given document, if it has pending events and its lease is free or has expired. */
    public Optional<Pending> claim(String documentId, Instant now, Duration lease) {
        return claim(Criteria.where("_id").is(id.apply(documentId)).and("outbox._id").exists(true), now, lease);
    }

    private Optional<Pending> claim(Criteria which, Instant now, Duration lease) {
        // Raw field names: an embedded event's "id" is stored as "_id".
        Query query = new Query(new Criteria().andOperator(which, new Criteria().orOperator(
                Criteria.where(LEASE).exists(false), Criteria.where(LEASE).is(null), Criteria.where(LEASE).lt(now))));
        query.fields().include("outbox"); // and the _id: the rest of the document stays in the store
        Document claimed = mongo.findAndModify(query, new Update().set(LEASE, now.plus(lease)),
                FindAndModifyOptions.options().returnNew(true), Document.class, collection);
        if (claimed == null) {
            return Optional.empty();
        }
        Object stored = claimed.get("_id");
        List<OutboxEvent> events = claimed.getList("outbox", Document.class).stream()
                .map(event -> mongo.getConverter().read(OutboxEvent.class, event)).toList();
        return Optional.of(new Pending(String.valueOf(stored), key.apply(stored), events));
    }

    /**
     * Removes the published events of each document, in one write; releases a document's lease when nothing of it is
     * left, so that failures back off.
     */
    public void markPublished(List<Published> published) {
        List<Published> changes = published.stream().filter(done -> done.all() || !done.eventIds().isEmpty()).toList();
        if (changes.isEmpty()) {
            return; // nothing acknowledged: the leases stay until they end
        }
        BulkOperations writes = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, collection);
        for (Published done : changes) {
            Update update = new Update().pull("outbox",
                    new Document("_id", new Document("$in", List.copyOf(done.eventIds()))));
            if (done.all()) {
                update.unset(LEASE);
            }
            writes.updateOne(Query.query(Criteria.where("_id").is(id.apply(done.documentId()))), update);
        }
        writes.execute();
    }

    /** The events of a document that the broker acknowledged, and whether they are all it had pending. */
    public record Published(String documentId, Collection<String> eventIds, boolean all) {
    }

    /** The pending events of one document and the Kafka key (and CloudEvents subject) they are published under. */
    public record Pending(String documentId, String key, List<OutboxEvent> events) {
    }

    /**
     * Told by a store after a write that queued events, so that the relay publishes them at once. A write that found
     * no event pending in its document takes the lease itself, in the same update, until {@code leasedUntil}, and
     * hands its events over: {@code leased}, which the relay publishes without claiming the document while enough of
     * the lease is left (both null when the relay must claim it).
     */
    public record Written(String collection, String documentId, Pending leased, Instant leasedUntil) {

        public Written(String collection, String documentId) {
            this(collection, documentId, null, null);
        }
    }
}
