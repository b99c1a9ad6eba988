package gov.yuancheng.supervision.audit.record;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import gov.yuancheng.supervision.verifier.Hashes;
import gov.yuancheng.supervision.verifier.Leaf;
import gov.yuancheng.supervision.verifier.MerkleTree;
import com.mongodb.MongoBulkWriteException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Repository;

/**
 * The append-only audit log and the RFC 6962 tree over it. It offers appending and reading only: there is
 * deliberately no method that updates or deletes a record.
 *
 * <p>Sequencing with several replicas: a record's sequence number is its document id, and a writer takes number
 * n + 1 only after it has seen record n. Two replicas that race for the same number both try to insert it; the
 * store's unique id lets exactly one win, and the loser reads what it missed and tries n + 2. So the numbers stay
 * gap-free without a counter (a counter incremented before a crash would leave a gap), no lease is needed, and the
 * hash chain in each leaf ({@code prev}) can never fork. A redelivered event fails on the unique event id instead
 * and is recognised as already recorded.
 *
 * <p>Every replica keeps the tree's hashes in memory (64 bytes a record, about 64 MB for a million) and catches up
 * from the store before it appends, proves or signs, so any replica answers for the whole log.
 */
@Repository
public class AuditLog implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int BATCH = 1000;
    private static final String COLLECTION = "audit_log";
    private static final int DUPLICATE_KEY = 11000;
    private final MongoTemplate mongo;
    private final Clock clock;
    private final MerkleTree tree = new MerkleTree();
    private final ReentrantLock lock = new ReentrantLock();
    private final Counter integrityFailures;

    public AuditLog(MongoTemplate mongo, Clock clock, MeterRegistry meters) {
        this.mongo = mongo;
        this.clock = clock;
        this.integrityFailures = Counter.builder("supervision.audit.integrity.failures")
                .description("Stored records whose content no longer matches their leaf hash or chain")
                .register(meters);
    }

    @Override
    public void afterPropertiesSet() {
        var indexes = mongo.indexOps(StoredRecord.class);
        indexes.createIndex(new Index().on("eventId", Sort.Direction.ASC).unique().named("eventId"));
        indexes.createIndex(new Index().on("subject", Sort.Direction.ASC).on("_id", Sort.Direction.ASC)
                .named("subject_seq"));
        indexes.createIndex(new Index().on("units", Sort.Direction.ASC).on("time", Sort.Direction.ASC)
                .named("units_time"));
        indexes.createIndex(new Index().on("actorId", Sort.Direction.ASC).on("_id", Sort.Direction.ASC)
                .named("actor_seq"));
        withLock(() -> {
            catchUp();
            log.info("Audit log loaded: {} records", tree.size());
        });
    }

    /**
     * Appends the record at the end of the log; false if its event was recorded before. Waits for the log's writer
     * no longer than the other readers of the log do (an inspector's read is recorded through here).
     */
    public boolean append(RecordDraft draft) {
        return withLock(() -> {
            while (true) {
                // No look-ahead: if another replica took the next number, the insert below fails and we catch up.
                long seq = tree.size() + 1;
                String prev = seq == 1 ? Leaf.FIRST_PREV : Hashes.base64(tree.leafHash(seq - 2));
                byte[] leaf = draft.leaf(seq, prev, clock.instant());
                byte[] hash = Hashes.leaf(leaf);
                try {
                    mongo.insert(stored(seq, draft, leaf, hash));
                    tree.append(hash);
                    return true;
                }
                catch (DuplicateKeyException e) {
                    if (contains(draft.eventId())) {
                        return false;
                    }
                    log.debug("Record {} was taken by another writer; catching up", seq);
                    catchUp();
                }
            }
        });
    }

    /**
     * Appends a batch in order with one ordered insert of many documents, as many records at once as there are
     * events; returns how many were new. An ordered insert stops at its first failure with every document before it
     * stored, so on a duplicate event or a number taken by another writer the batch resumes after it.
     */
    public int appendAll(List<RecordDraft> drafts) {
        lock.lock();
        try {
            int added = 0;
            int next = 0;
            while (next < drafts.size()) {
                List<Document> documents = new ArrayList<>();
                List<byte[]> hashes = new ArrayList<>();
                long seq = tree.size() + 1;
                byte[] prev = seq == 1 ? null : tree.leafHash(seq - 2);
                for (RecordDraft draft : drafts.subList(next, drafts.size())) {
                    byte[] leaf = draft.leaf(seq, prev == null ? Leaf.FIRST_PREV : Hashes.base64(prev), clock.instant());
                    byte[] hash = Hashes.leaf(leaf);
                    Document document = new Document();
                    mongo.getConverter().write(stored(seq, draft, leaf, hash), document);
                    documents.add(document);
                    hashes.add(hash);
                    prev = hash;
                    seq++;
                }
                int stored;
                try {
                    mongo.getCollection(COLLECTION).insertMany(documents);
                    stored = documents.size();
                }
                catch (MongoBulkWriteException e) {
                    if (e.getWriteErrors().isEmpty() || e.getWriteErrors().get(0).getCode() != DUPLICATE_KEY) {
                        throw e;
                    }
                    stored = e.getWriteErrors().get(0).getIndex();
                }
                hashes.subList(0, stored).forEach(tree::append);
                added += stored;
                next += stored;
                if (next < drafts.size()) {
                    List<RecordDraft> rest = drafts.subList(next, drafts.size());
                    Set<String> recorded = recorded(rest);
                    if (recorded.isEmpty()) {
                        catchUp(); // another writer took the number
                    }
                    else {
                        // delivered again (its writer was not told they were stored): all skipped at once, not one
                        // insert of the rest of the batch for each
                        drafts = rest.stream().filter(draft -> !recorded.contains(draft.eventId())).toList();
                        next = 0;
                    }
                }
            }
            return added;
        }
        finally {
            lock.unlock();
        }
    }

    private static StoredRecord stored(long seq, RecordDraft draft, byte[] leaf, byte[] hash) {
        return new StoredRecord(seq, draft.eventId(), new String(leaf, StandardCharsets.UTF_8), hash, draft.subject(),
                draft.type(), draft.actor() == null ? null : draft.actor().id(), draft.units(), draft.time(),
                draft.topic());
    }

    /** Which of the drafts' events are in the log already. */
    private Set<String> recorded(List<RecordDraft> drafts) {
        Query query = Query.query(Criteria.where("eventId").in(drafts.stream().map(RecordDraft::eventId).toList()));
        query.fields().include("eventId");
        return mongo.find(query, Document.class, COLLECTION).stream().map(found -> found.getString("eventId"))
                .collect(Collectors.toSet());
    }

    public boolean contains(String eventId) {
        return mongo.exists(Query.query(Criteria.where("eventId").is(eventId)), StoredRecord.class);
    }

    public long size() {
        return withLock(() -> {
            catchUp();
            return tree.size();
        });
    }

    public byte[] root(long size) {
        return withLock(() -> {
            catchUpTo(size);
            return tree.root(size);
        });
    }

    public List<byte[]> inclusionProof(long seq, long treeSize) {
        return withLock(() -> {
            catchUpTo(treeSize);
            return tree.inclusionProof(seq - 1, treeSize);
        });
    }

    public List<byte[]> consistencyProof(long first, long second) {
        return withLock(() -> {
            catchUpTo(second);
            return tree.consistencyProof(first, second);
        });
    }

    public StoredRecord get(long seq) {
        return mongo.findById(seq, StoredRecord.class);
    }

    public Page<StoredRecord> search(AuditQuery query, Pageable pageable) {
        Query mongoQuery = new Query(criteria(query));
        long total = mongo.count(mongoQuery, StoredRecord.class);
        List<StoredRecord> records = mongo.find(mongoQuery.with(pageable).with(Sort.by("_id")), StoredRecord.class);
        return new PageImpl<>(records, pageable, total);
    }

    /** Every record matching the query up to {@code lastSeq}, in sequence order, a batch at a time. */
    public void forEach(AuditQuery query, long lastSeq, Consumer<StoredRecord> action) {
        long after = 0;
        while (true) {
            Criteria range = Criteria.where("_id").gt(after).lte(lastSeq);
            Query batch = new Query(new Criteria().andOperator(criteria(query), range)).with(Sort.by("_id"))
                    .limit(BATCH);
            List<StoredRecord> records = mongo.find(batch, StoredRecord.class);
            records.forEach(action);
            if (records.size() < BATCH) {
                return;
            }
            after = records.get(records.size() - 1).seq();
        }
    }

    /** Records 1..lastSeq by id, as they stand in the store now. */
    public void forEachInOrder(long lastSeq, Consumer<StoredRecord> action) {
        for (long first = 1; first <= lastSeq; first += BATCH) {
            byId(first, Math.min(lastSeq, first + BATCH - 1)).forEach(action);
        }
    }

    private static Criteria criteria(AuditQuery query) {
        List<Criteria> all = new ArrayList<>();
        if (query.subject() != null) {
            all.add(Criteria.where("subject").is(query.subject()));
        }
        if (query.type() != null) {
            all.add(Criteria.where("type").is(query.type()));
        }
        if (query.actorId() != null) {
            all.add(Criteria.where("actorId").is(query.actorId()));
        }
        if (query.unit() != null) {
            all.add(Criteria.where("units").is(query.unit()));
        }
        if (query.from() != null) {
            all.add(Criteria.where("time").gte(query.from()));
        }
        if (query.to() != null) {
            all.add(Criteria.where("time").lt(query.to()));
        }
        return all.isEmpty() ? new Criteria() : new Criteria().andOperator(all);
    }

    /**
     * Reads the records other writers appended since this replica last looked, in batches looked up by id. Each is
     * checked on the way in: a leaf that no longer hashes to its stored leaf hash, or does not chain to the record
     * before it, is logged by number and counted, because nobody is allowed to change a stored record.
     */
    private void catchUp() {
        // One lookup by id answers the usual case, nothing new, without a query over many ids.
        if (!mongo.exists(Query.query(Criteria.where("_id").is(tree.size() + 1)), StoredRecord.class)) {
            return;
        }
        while (true) {
            long next = tree.size() + 1;
            List<StoredRecord> batch = byId(next, next + BATCH - 1);
            for (StoredRecord record : batch) {
                if (record.seq() != tree.size() + 1) {
                    return;
                }
                check(record);
                tree.append(record.leafHash());
            }
            if (batch.size() < BATCH) {
                return;
            }
        }
    }

    /** Another replica may have appended (and signed) more than this one has seen yet. */
    private void catchUpTo(long size) {
        if (size > tree.size()) {
            catchUp();
        }
    }

    private List<StoredRecord> byId(long first, long last) {
        List<Long> ids = LongStream.rangeClosed(first, last).boxed().toList();
        return mongo.find(Query.query(Criteria.where("_id").in(ids)).with(Sort.by("_id")), StoredRecord.class);
    }

    private void check(StoredRecord record) {
        byte[] leaf = record.leaf().getBytes(StandardCharsets.UTF_8);
        String problem = null;
        if (!MessageDigest.isEqual(Hashes.leaf(leaf), record.leafHash())) {
            problem = "its content does not match its leaf hash";
        }
        else {
            try {
                Leaf fields = Leaf.read(leaf);
                String expected = record.seq() == 1 ? Leaf.FIRST_PREV : Hashes.base64(tree.leafHash(record.seq() - 2));
                if (fields.seq() != record.seq() || !fields.prev().equals(expected)) {
                    problem = "it does not chain to record " + (record.seq() - 1);
                }
            }
            catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            integrityFailures.increment();
            log.error("Audit record {} was changed in the store: {}", record.seq(), problem);
        }
    }

    private void withLock(Runnable action) {
        withLock(() -> {
            action.run();
            return null;
        });
    }

    /**
     * One writer at a time in this replica. A writer stuck on a store that does not answer must not hold the others
     * (an inspector's read is recorded, so it writes too) for longer than a few seconds: they give up with a
     * transient failure, which the web layer answers with 503 and the consumer retries.
     */
    private <T> T withLock(java.util.function.Supplier<T> action) {
        try {
            if (!lock.tryLock(5, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new TransientDataAccessResourceException(
                        "The audit log is busy: its store is not answering right now.");
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientDataAccessResourceException("Interrupted while waiting for the audit log.", e);
        }
        try {
            return action.get();
        }
        finally {
            lock.unlock();
        }
    }
}
