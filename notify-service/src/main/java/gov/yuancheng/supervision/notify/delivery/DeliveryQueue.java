package gov.yuancheng.supervision.notify.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import gov.yuancheng.supervision.notify.store.Inserts;
import org.bson.Document;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/** Sends that wait for their channel, claimed by a lease so that one replica handles each; small by design. */
@Component
public class DeliveryQueue {

    static final String LOG = "delivery_log";

    private final MongoTemplate mongo;

    public DeliveryQueue(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** Indexes for a real MongoDB: the queue is read by due time, the event outbox by lease. */
    @EventListener(ApplicationReadyEvent.class)
    void createIndexes() {
        mongo.indexOps(DeliveryJob.class).createIndex(new Index().on("nextAttemptAt", Sort.Direction.ASC).named("due"));
        mongo.indexOps(DeliveryJob.class).createIndex(new Index().on("recipient", Sort.Direction.ASC).named("recipient"));
        mongo.indexOps(OutboxEntry.class).createIndex(new Index().on("leaseUntil", Sort.Direction.ASC).named("lease"));
    }

    /** Queues each job unless the same send is queued or finished already; returns how many were queued. */
    public int enqueue(List<DeliveryJob> jobs) {
        if (jobs.isEmpty()) {
            return 0;
        }
        Query finished = new Query(Criteria.where("_id").in(jobs.stream().map(DeliveryJob::id).toList()));
        finished.fields().include("_id");
        Set<Object> done = new HashSet<>();
        mongo.find(finished, Document.class, LOG).forEach(d -> done.add(d.get("_id")));
        return Inserts.newOnly(mongo, DeliveryJob.class, jobs.stream().filter(j -> !done.contains(j.id())).toList());
    }

    public Optional<DeliveryJob> claim(Instant now, Duration lease) {
        return Optional.ofNullable(mongo.findAndModify(
                new Query(Criteria.where("nextAttemptAt").lte(now).and("leaseUntil").lte(now))
                        .with(Sort.by("nextAttemptAt")),
                new Update().set("leaseUntil", now.plus(lease)),
                FindAndModifyOptions.options().returnNew(true), DeliveryJob.class));
    }

    /** A recipient's digest mails that are due, in the order their reminders fell due. */
    public List<DeliveryJob> dueDigest(String recipient, Instant now) {
        return mongo.find(new Query(Criteria.where("recipient").is(recipient).and("channel").is(DeliveryJob.Channel.EMAIL)
                .and("digest").is(true).and("nextAttemptAt").lte(now)).with(Sort.by("dueAt", "id")),
                DeliveryJob.class);
    }

    /** Records the outcome first and removes the job after, so a crash in between cannot lose the record. */
    public void finish(DeliveryJob job, String status, Instant now, String detail) {
        try {
            mongo.insert(new Document("_id", job.id()).append("status", status).append("at", now)
                    .append("attempts", job.attempts()).append("detail", detail), LOG);
        }
        catch (DuplicateKeyException e) {
            // finished before by a replica that died before removing the job
        }
        mongo.remove(new Query(Criteria.where("_id").is(job.id())), DeliveryJob.class);
    }

    public void retryAt(DeliveryJob job, Instant next, boolean countsAsAttempt, boolean digest) {
        Update update = new Update().set("nextAttemptAt", next).set("leaseUntil", Instant.EPOCH).set("digest", digest);
        if (countsAsAttempt) {
            update.inc("attempts", 1);
        }
        mongo.updateFirst(new Query(Criteria.where("_id").is(job.id())), update, DeliveryJob.class);
    }

    /** A job whose lease ran out while its first taker was still at work may be claimed again after it finished. */
    public boolean finished(String id) {
        return mongo.findById(id, Document.class, LOG) != null;
    }
}
