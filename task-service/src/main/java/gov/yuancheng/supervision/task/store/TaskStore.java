package gov.yuancheng.supervision.task.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Roles;
import gov.yuancheng.supervision.task.domain.Task;

import org.bson.Document;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
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

/** The tasks collection. Every write is one document, so a change and its outbox events land together. */
@Repository
public class TaskStore {

    static final String RELAY_LEASE = "relayLeaseUntil";

    private final MongoTemplate mongo;

    public TaskStore(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @EventListener(ApplicationReadyEvent.class)
    void createIndexes() {
        var indexes = mongo.indexOps(Task.class);
        indexes.createIndex(new Index().on("assignments.unit", Sort.Direction.ASC).named("assignment_unit"));
        indexes.createIndex(new Index().on("responsibleLeader", Sort.Direction.ASC).sparse().named("leader"));
        indexes.createIndex(new Index().on("outbox.id", Sort.Direction.ASC).sparse().named("outbox_pending"));
    }

    public Task insert(Task task) {
        return mongo.insert(task);
    }

    public Optional<Task> findVisible(String id, Actor actor) {
        return Optional.ofNullable(mongo.findById(id, Task.class)).filter(task -> task.isVisibleTo(actor));
    }

    public Page<Task> findVisible(Actor actor, Pageable pageable) {
        Query query = new Query(visibleTo(actor));
        long total = mongo.count(query, Task.class);
        List<Task> page = mongo.find(query.with(pageable).with(Sort.by(Sort.Direction.DESC, "createdAt")), Task.class);
        return new PageImpl<>(page, pageable, total);
    }

    /** The same rule as {@link Task#isVisibleTo}, as a query, so that lists never leak another unit's task. */
    private static Criteria visibleTo(Actor actor) {
        if (actor.readsAllTasks()) {
            return new Criteria();
        }
        Criteria none = Criteria.where("_id").exists(false);
        Criteria unit = actor.hasRole(Roles.UNIT) && actor.unit() != null
                ? Criteria.where("assignments.unit").is(actor.unit()) : none;
        Criteria leader = actor.hasRole(Roles.LEADER) && actor.username() != null
                ? Criteria.where("responsibleLeader").is(actor.username()) : none;
        return new Criteria().orOperator(unit, leader);
    }

    /**
     * Claims one task whose outbox holds events, with a lease so that several relay replicas never publish
     * the same task at once and a relay that dies mid-way leaves the events to another after the lease.
     */
    public Optional<Task> claimOutbox(Instant now, Duration lease) {
        Query query = new Query(new Criteria().andOperator(
                Criteria.where("outbox.id").exists(true),
                new Criteria().orOperator(Criteria.where(RELAY_LEASE).exists(false),
                        Criteria.where(RELAY_LEASE).lt(now))));
        Update update = new Update().set(RELAY_LEASE, now.plus(lease));
        return Optional.ofNullable(
                mongo.findAndModify(query, update, FindAndModifyOptions.options().returnNew(true), Task.class));
    }

    /** Removes published events; releases the lease only when nothing is left, so failures back off. */
    public void markPublished(String taskId, Collection<String> eventIds, boolean all) {
        Update update = new Update().pull("outbox", new Document("id", new Document("$in", List.copyOf(eventIds))));
        if (all) {
            update.unset(RELAY_LEASE);
        }
        mongo.updateFirst(Query.query(Criteria.where("_id").is(taskId)), update, Task.class);
    }
}
