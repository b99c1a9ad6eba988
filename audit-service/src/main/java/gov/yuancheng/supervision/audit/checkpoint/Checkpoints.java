package gov.yuancheng.supervision.audit.checkpoint;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import gov.yuancheng.supervision.audit.record.AuditLog;
import gov.yuancheng.supervision.verifier.Checkpoint;
import gov.yuancheng.supervision.verifier.SignedNote;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Signed checkpoints in the C2SP tlog-checkpoint format, one whenever {@code every-records} records have been
 * appended since the last or {@code every} has passed with any new record. Before it signs, it checks that its
 * tree still has the root the previous checkpoint signed (and that one its predecessor's, by induction), so every
 * checkpoint is consistent with every earlier one; if not, it refuses, logs and counts. The checkpoint's id is its
 * size: replicas that sign the same size sign the same bytes (Ed25519 is deterministic) and one insert wins.
 */
@Component
public class Checkpoints {

    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
    private final AuditLog auditLog;
    private final SigningKey key;
    private final MongoTemplate mongo;
    private final Clock clock;
    private final long everyRecords;
    private final Duration every;
    private final Counter refusals;

    @Document("audit_checkpoints")
    record StoredCheckpoint(@Id long size, String note, Instant signedAt) {
    }

    Checkpoints(AuditLog auditLog, SigningKey key, MongoTemplate mongo, Clock clock, MeterRegistry meters,
            @Value("${supervision.audit.checkpoint.every-records:1000}") long everyRecords,
            @Value("${supervision.audit.checkpoint.every:PT5S}") Duration every) {
        this.auditLog = auditLog;
        this.key = key;
        this.mongo = mongo;
        this.clock = clock;
        this.everyRecords = everyRecords;
        this.every = every;
        this.refusals = Counter.builder("supervision.audit.checkpoint.refusals")
                .description("Checkpoints not signed because the log is not consistent with the last one")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "${supervision.audit.checkpoint.poll:PT1S}")
    void onSchedule() {
        long size = auditLog.size();
        Optional<StoredCheckpoint> last = latestStored();
        long lastSize = last.map(StoredCheckpoint::size).orElse(0L);
        boolean due = size - lastSize >= everyRecords || last.isEmpty()
                || !clock.instant().isBefore(last.get().signedAt().plus(every));
        if (size > lastSize && due) {
            signAt(size);
        }
    }

    /** The latest checkpoint covering every record appended so far, signing one now if needed. */
    public synchronized String signNow() {
        long size = auditLog.size();
        Optional<StoredCheckpoint> last = latestStored();
        if (last.isPresent() && last.get().size() >= size) {
            return last.get().note();
        }
        return signAt(size).orElseThrow(() -> new IllegalStateException("The log is not consistent with its last checkpoint"));
    }

    public Optional<String> latest() {
        return latestStored().map(StoredCheckpoint::note);
    }

    public Optional<String> at(long size) {
        return Optional.ofNullable(mongo.findById(size, StoredCheckpoint.class)).map(StoredCheckpoint::note);
    }

    /** The checkpoints signed before the given size, oldest first. */
    public List<String> before(long size) {
        return mongo.find(Query.query(Criteria.where("_id").lt(size)).with(Sort.by("_id")), StoredCheckpoint.class)
                .stream().map(StoredCheckpoint::note).toList();
    }

    private synchronized Optional<String> signAt(long size) {
        Optional<StoredCheckpoint> last = latestStored();
        if (last.isPresent()) {
            Checkpoint previous = Checkpoint.parse(SignedNote.parse(last.get().note()).text());
            if (previous.size() > size || !MessageDigest.isEqual(previous.root(), auditLog.root(previous.size()))) {
                refusals.increment();
                log.error("Not signing size {}: the log no longer has the root that checkpoint {} signed", size,
                        previous.size());
                return Optional.empty();
            }
        }
        String note = SignedNote.sign(new Checkpoint(key.publicKey().name(), size, auditLog.root(size)).text(),
                key.publicKey(), key::sign);
        try {
            mongo.insert(new StoredCheckpoint(size, note, clock.instant()));
            log.debug("Signed checkpoint {}", size);
        }
        catch (DuplicateKeyException e) {
            log.debug("Checkpoint {} was signed by another replica", size);
        }
        return at(size);
    }

    private Optional<StoredCheckpoint> latestStored() {
        return Optional.ofNullable(mongo.findOne(new Query().with(Sort.by(Sort.Direction.DESC, "_id")).limit(1),
                StoredCheckpoint.class));
    }
}
