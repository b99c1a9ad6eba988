package gov.yuancheng.supervision.audit.record;

import java.util.List;

import org.bson.Document;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

/**
 * The append-only audit log. It offers appending and reading only: there is deliberately no method
 * that updates or deletes a record.
 */
@Repository
public class AuditLog {

    private static final String COUNTERS = "audit_counters";
    private final MongoTemplate mongo;

    public AuditLog(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @EventListener(ApplicationReadyEvent.class)
    void createIndexes() {
        var indexes = mongo.indexOps(AuditRecord.class);
        indexes.createIndex(new Index().on("seq", Sort.Direction.ASC).unique().named("seq"));
        indexes.createIndex(new Index().on("subject", Sort.Direction.ASC).on("seq", Sort.Direction.ASC)
                .named("subject_seq"));
    }

    public boolean contains(String eventId) {
        return mongo.exists(Query.query(Criteria.where("_id").is(eventId)), AuditRecord.class);
    }

    /** Appends the record with the next sequence number; a record already present is left as it is. */
    public boolean append(java.util.function.LongFunction<AuditRecord> recordWithSeq, String eventId) {
        if (contains(eventId)) {
            return false;
        }
        try {
            mongo.insert(recordWithSeq.apply(nextSeq()));
            return true;
        }
        catch (DuplicateKeyException e) {
            return false;
        }
    }

    private long nextSeq() {
        Document counter = mongo.findAndModify(Query.query(Criteria.where("_id").is("records")),
                new Update().inc("seq", 1L), FindAndModifyOptions.options().upsert(true).returnNew(true),
                Document.class, COUNTERS);
        return ((Number) counter.get("seq")).longValue();
    }

    public Page<AuditRecord> search(AuditQuery query, Pageable pageable) {
        Criteria criteria = new Criteria();
        List<Criteria> all = new java.util.ArrayList<>();
        if (query.subject() != null) {
            all.add(Criteria.where("subject").is(query.subject()));
        }
        if (query.type() != null) {
            all.add(Criteria.where("type").is(query.type()));
        }
        if (query.actorId() != null) {
            all.add(Criteria.where("actor.id").is(query.actorId()));
        }
        if (query.unit() != null) {
            all.add(Criteria.where("actor.unit").is(query.unit()));
        }
        if (!all.isEmpty()) {
            criteria.andOperator(all);
        }
        Query mongoQuery = new Query(criteria);
        long total = mongo.count(mongoQuery, AuditRecord.class);
        List<AuditRecord> records = mongo.find(mongoQuery.with(pageable).with(Sort.by("seq")), AuditRecord.class);
        return new PageImpl<>(records, pageable, total);
    }
}
