package gov.yuancheng.supervision.task.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Assignment;
import gov.yuancheng.supervision.task.domain.OutboxEvent;
import gov.yuancheng.supervision.task.domain.Roles;
import gov.yuancheng.supervision.task.domain.Task;
import gov.yuancheng.supervision.task.domain.TaskStatus;
import gov.yuancheng.supervision.task.events.DocumentOutbox;
import org.bson.Document;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.data.mongodb.core.query.UpdateDefinition;
import org.springframework.data.util.Pair;
import org.springframework.stereotype.Repository;

/**
 * The tasks collection. Every change is one document write guarded by the task's version, so a
 * change and its outbox events land together or not at all.
 */
@Repository
public class TaskStore {

    /**
     * Relay and light updates name the collection rather than the entity: Spring Data would otherwise
     * raise the version, and a client's ETag would go stale without anyone having changed the task.
     */
    static final String TASKS = "tasks";
    private static final String SWEEPS = "sweeps";
    private static final String LIGHTS_SWEEP = "lights";
    private static final String TITLE_GRAMS_SWEEP = "titleGrams";
    /** Fields of a stored task that are not the task's own: a save neither sets nor removes them. */
    private static final Set<String> NOT_MAPPED = Set.of("_id", "outbox", DocumentOutbox.LEASE, TitleGrams.FIELD);

    private final MongoTemplate mongo;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    /** The relay's lease that a write takes for this replica's relay, or null when no relay runs here. */
    private final Duration lease;
    private volatile boolean titleGramsComplete;
    /** The documents that the tasks in use were read from ({@link #findById}), by the task's identity. */
    private final Cache<Task, Document> loaded = Caffeine.newBuilder().weakKeys().build();

    public TaskStore(MongoTemplate mongo, ApplicationEventPublisher events, Clock clock,
            @Value("${supervision.outbox.lease:15s}") Duration lease,
            @Value("${supervision.outbox.enabled:true}") boolean relayHere) {
        this.mongo = mongo;
        this.events = events;
        this.clock = clock;
        this.lease = relayHere ? lease : null;
    }

    @EventListener(ApplicationReadyEvent.class)
    void createIndexes() {
        var indexes = mongo.indexOps(Task.class);
        indexes.createIndex(new Index().on("assignments.unit", Sort.Direction.ASC).on("createdAt", Sort.Direction.DESC)
                .named("unit_created"));
        indexes.createIndex(new Index().on("status", Sort.Direction.ASC).on("deadline", Sort.Direction.ASC)
                .named("status_deadline"));
        indexes.createIndex(new Index().on("category", Sort.Direction.ASC).on("createdAt", Sort.Direction.DESC)
                .named("category_created"));
        indexes.createIndex(new Index().on("light", Sort.Direction.ASC).on("deadline", Sort.Direction.ASC)
                .named("light_deadline"));
        indexes.createIndex(new Index().on("assignments.assignedAt", Sort.Direction.ASC).named("assigned"));
        indexes.createIndex(new Index().on("responsibleLeader", Sort.Direction.ASC).sparse().named("leader"));
        indexes.createIndex(new Index().on("parentId", Sort.Direction.ASC).sparse().named("parent"));
        indexes.createIndex(new Index().on("creationKey", Sort.Direction.ASC).unique().sparse().named("creation_key"));
        indexes.createIndex(new Index().on("outbox.id", Sort.Direction.ASC).sparse().named("outbox_pending"));
        indexes.createIndex(new Index().on(TitleGrams.FIELD, Sort.Direction.ASC).named("title_grams"));
        if (!titleGramsComplete()) {
            addMissingTitleGrams(); // once: a start after it reads no task for it
        }
    }

    /**
     * Gives every task stored without them (before they were kept) its title's pairs, without touching its version,
     * then records that all tasks have them: until then a search by text reads every task.
     */
    public void addMissingTitleGrams() {
        Query missing = Query.query(Criteria.where(TitleGrams.FIELD).exists(false)).cursorBatchSize(500);
        missing.fields().include("title");
        List<Pair<Query, UpdateDefinition>> updates = new ArrayList<>();
        try (Stream<Document> tasks = mongo.stream(missing, Document.class, TASKS)) {
            tasks.forEach(task -> {
                updates.add(Pair.of(Query.query(Criteria.where("_id").is(task.get("_id"))),
                        new Update().set(TitleGrams.FIELD, TitleGrams.of(task.getString("title")))));
                if (updates.size() == 500) {
                    mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, TASKS).updateOne(updates).execute();
                    updates.clear();
                }
            });
        }
        if (!updates.isEmpty()) {
            mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, TASKS).updateOne(updates).execute();
        }
        mongo.upsert(Query.query(Criteria.where("_id").is(TITLE_GRAMS_SWEEP)), new Update().set("complete", true),
                SWEEPS);
        titleGramsComplete = true;
    }

    private boolean titleGramsComplete() {
        if (!titleGramsComplete) {
            Document sweep = mongo.findById(TITLE_GRAMS_SWEEP, Document.class, SWEEPS);
            titleGramsComplete = sweep != null && Boolean.TRUE.equals(sweep.getBoolean("complete"));
        }
        return titleGramsComplete;
    }

    /**
     * Inserts a new task at version 0, with its title's pairs (the converter knows nothing of them) and, as nothing
     * of a new task can be pending elsewhere, the relay's lease: its events are handed to the relay with no claim.
     */
    public Task insert(Task task) {
        var entity = mongo.getConverter().getMappingContext().getRequiredPersistentEntity(Task.class);
        var accessor = entity.getPropertyAccessor(task);
        accessor.setProperty(entity.getRequiredVersionProperty(), 0L);
        Task inserted = accessor.getBean();
        Document document = new Document();
        mongo.getConverter().write(inserted, document);
        document.put(TitleGrams.FIELD, TitleGrams.of(inserted.title()));
        Instant until = lease != null && !inserted.outbox().isEmpty() ? clock.instant().plus(lease) : null;
        if (until != null) {
            document.put(DocumentOutbox.LEASE, until);
        }
        mongo.insert(document, TASKS);
        if (until != null) {
            written(inserted.id(), inserted.outbox(), until);
        }
        return inserted;
    }

    /** The tasks' outbox, for the relay: events keyed by task id. */
    @Bean
    public static DocumentOutbox taskOutbox(MongoTemplate mongo) {
        return new DocumentOutbox(mongo, TASKS, id -> id, String::valueOf);
    }

    /** Tells the outbox relay that the task has events to publish. */
    private void written(String id) {
        events.publishEvent(new DocumentOutbox.Written(TASKS, id));
    }

    /** Hands the relay the events of a write that took the task's lease: it publishes them without a claim. */
    private void written(String id, List<OutboxEvent> leased, Instant until) {
        events.publishEvent(new DocumentOutbox.Written(TASKS, id, new DocumentOutbox.Pending(id, id, leased), until));
    }

    /**
     * Saves a changed task; fails with an optimistic-locking error when someone saved it in between. One atomic
     * update rather than a replacement: the events this change queued are pushed onto the outbox, so that events the
     * relay published and removed meanwhile are never put back (and published twice), and the relay's lease stays.
     * When the task had no event pending, no relay holds it (a claim needs a pending event, and the version proves
     * nothing was queued since): the update takes the lease for this replica's relay, which then publishes the events
     * without claiming the task first, one store command less for each change.
     */
    public Task save(Task task) {
        long loaded = task.version();
        long next = loaded + 1;
        Document document = new Document();
        mongo.getConverter().write(task, document);
        document.remove("_id");
        document.remove(DocumentOutbox.LEASE);
        List<?> outbox = (List<?>) document.remove("outbox");
        Update update = changes(this.loaded.getIfPresent(task), document);
        this.loaded.invalidate(task);
        update.set("version", next);
        Object[] queued = outbox == null ? new Object[0] : outbox.stream()
                .filter(event -> event instanceof Document e && e.get("data") instanceof Document data
                        && data.get("version") instanceof Number version && version.longValue() == next)
                .toArray();
        if (queued.length > 0) {
            update.push("outbox").each(queued);
        }
        Instant until = lease != null && queued.length > 0 && queued.length == outbox.size()
                ? clock.instant().plus(lease) : null;
        if (until != null) {
            update.set(DocumentOutbox.LEASE, until);
        }
        var result = mongo.updateFirst(Query.query(Criteria.where("_id").is(task.id()).and("version").is(loaded)),
                update, TASKS);
        if (result.getMatchedCount() == 0) {
            throw new OptimisticLockingFailureException(
                    "Task " + task.id() + " was changed by someone else after version " + loaded + ".");
        }
        if (until != null) {
            written(task.id(), task.outbox(), until);
        }
        else if (queued.length > 0) {
            written(task.id());
        }
        var entity = mongo.getConverter().getMappingContext().getRequiredPersistentEntity(Task.class);
        var accessor = entity.getPropertyAccessor(task);
        accessor.setProperty(entity.getRequiredVersionProperty(), next);
        return accessor.getBean();
    }

    /**
     * Sets the fields whose values differ from those the task was loaded with, and removes those it no longer has;
     * every field when it was not loaded here. A change touches a few fields of a task (its assignments, its light,
     * its update time): the store then neither receives, journals nor applies the rest.
     */
    static Update changes(Document before, Document after) {
        Update update = new Update();
        if (before == null) {
            after.forEach(update::set);
            return update;
        }
        after.forEach((field, value) -> {
            if (!Objects.equals(value, before.get(field))) {
                update.set(field, value);
            }
        });
        before.keySet().stream().filter(field -> !after.containsKey(field) && !NOT_MAPPED.contains(field))
                .forEach(update::unset);
        return update;
    }

    /**
     * A task as stored, remembered with the task read from it (by identity, while the task is in use) so that a save
     * sends only what changed.
     */
    public Optional<Task> findById(String id) {
        Document stored = mongo.findOne(Query.query(Criteria.where("_id").is(id)), Document.class, TASKS);
        if (stored == null) {
            return Optional.empty();
        }
        Task task = mongo.getConverter().read(Task.class, stored);
        loaded.put(task, stored);
        return Optional.of(task);
    }

    public Optional<Task> findByCreationKey(String key) {
        return Optional.ofNullable(mongo.findOne(Query.query(Criteria.where("creationKey").is(key)), Task.class));
    }

    /**
     * A page of the tasks matching the filter that the actor may see, and how many there are. The query names the
     * collection, not the entity: its fields are named as stored, and the titles' pairs are no property of Task, so
     * Spring Data would raise (and catch) an exception for each pair of a text, in the count and in the find.
     */
    public Page<Task> search(TaskQuery filter, Actor actor, Pageable pageable) {
        Query query = new Query(criteria(filter, actor, titleGramsComplete()));
        long total = mongo.count(query, TASKS);
        Sort sort = pageable.getSort().isSorted() ? pageable.getSort() : Sort.by(Sort.Direction.DESC, "createdAt");
        List<Task> page = mongo.find(query.with(pageable).with(sort), Document.class, TASKS).stream()
                .map(document -> mongo.getConverter().read(Task.class, document)).toList();
        return new PageImpl<>(page, pageable, total);
    }

    /** Every task matching the filter that the actor may see, for statistics and the ledger, in batches. */
    public Stream<Task> stream(TaskQuery filter, Actor actor) {
        return mongo.stream(tasks(new Query(criteria(filter, actor, titleGramsComplete())).with(Sort.by("createdAt"))
                .cursorBatchSize(500)),
                Task.class);
    }

    /**
     * Every task the actor may see with an assignment made in {@code [from, until)}, unordered, for the statistics of
     * a period (served by the {@code assigned} index on MongoDB).
     */
    public Stream<Task> assignedBetween(Instant from, Instant until, Actor actor) {
        Criteria period = Criteria.where("assignments").elemMatch(Criteria.where("assignedAt").gte(from).lt(until));
        return mongo.stream(tasks(new Query(new Criteria().andOperator(visibleTo(actor), period)).cursorBatchSize(500)),
                Task.class);
    }

    /**
     * A query of many tasks without their titles' pairs: only searches use them (a task's are set when it is
     * inserted, and its title never changes), and they are a good part of a task's bytes. Not for the reads of one
     * task or one page: mapping a field the class does not have costs Spring Data an exception, with its stack
     * trace, each time (a sixth of a read's CPU), more than the pairs cost to send; and the store copies a document
     * to leave fields out of it.
     */
    private static Query tasks(Query query) {
        query.fields().exclude(TitleGrams.FIELD);
        return query;
    }

    private static Criteria criteria(TaskQuery filter, Actor actor, boolean byTitleGrams) {
        List<Criteria> all = new ArrayList<>();
        all.add(visibleTo(actor));
        if (filter.status() != null) {
            all.add(Criteria.where("status").is(filter.status().name()));
        }
        if (filter.category() != null) {
            all.add(Criteria.where("category").is(filter.category()));
        }
        if (filter.unit() != null) {
            all.add(Criteria.where("assignments.unit").is(filter.unit()));
        }
        if (filter.light() != null) {
            all.add(Criteria.where("light").is(filter.light().name()));
        }
        if (filter.source() != null) {
            all.add(Criteria.where("source.kind").is(filter.source().name()));
        }
        if (filter.leader() != null) {
            all.add(Criteria.where("responsibleLeader").is(filter.leader()));
        }
        if (filter.deadlineFrom() != null) {
            all.add(Criteria.where("deadline").gte(filter.deadlineFrom()));
        }
        if (filter.deadlineTo() != null) {
            all.add(Criteria.where("deadline").lte(filter.deadlineTo()));
        }
        if (filter.text() != null) {
            if (byTitleGrams) {
                // a title holding the text holds each of its pairs: an index lookup (the store reads the rarest)
                TitleGrams.of(filter.text()).forEach(gram -> all.add(Criteria.where(TitleGrams.FIELD).is(gram)));
            }
            // A literal match: the text is quoted, never interpreted as a pattern or an operator.
            all.add(Criteria.where("title").regex(Pattern.compile(Pattern.quote(filter.text()))));
        }
        if (filter.parentId() != null) {
            all.add(Criteria.where("parentId").is(filter.parentId()));
        }
        return new Criteria().andOperator(all);
    }

    /** The same rule as {@link Task#isVisibleTo}, as a query, so that lists never leak another unit's task. */
    private static Criteria visibleTo(Actor actor) {
        if (actor.readsAllTasks()) {
            return new Criteria();
        }
        List<Criteria> ways = new ArrayList<>();
        if (actor.hasRole(Roles.UNIT) && actor.unit() != null) {
            ways.add(Criteria.where("assignments.unit").is(actor.unit()));
        }
        if (actor.hasRole(Roles.LEADER) && actor.username() != null) {
            ways.add(Criteria.where("responsibleLeader").is(actor.username()));
        }
        // one way is the plain condition, so that an index on it serves the query
        return switch (ways.size()) {
            case 0 -> Criteria.where("_id").exists(false);
            case 1 -> ways.get(0);
            default -> new Criteria().orOperator(ways);
        };
    }

    /** Every active task, read in batches: a province has hundreds of thousands. */
    public Stream<Task> activeTasks() {
        return mongo.stream(tasks(Query.query(Criteria.where("status").is(TaskStatus.ACTIVE.name()))
                .cursorBatchSize(500)),
                Task.class);
    }

    /** The date of the last completed sweep of the lights (by any replica), or null. */
    public LocalDate lightsSweptOn() {
        Document sweep = mongo.findById(LIGHTS_SWEEP, Document.class, SWEEPS);
        return sweep == null ? null : LocalDate.parse(sweep.getString("day"));
    }

    public void lightsSwept(LocalDate day) {
        mongo.upsert(Query.query(Criteria.where("_id").is(LIGHTS_SWEEP)), new Update().set("day", day.toString()),
                SWEEPS);
    }

    /**
     * Stores recomputed lights without touching the version: a light is derived from the task and the
     * date, not a change anyone made, so it must not make a client's ETag stale. Skipped when the task
     * changed meanwhile (its own save carries fresh lights).
     */
    public void storeLights(Task task) {
        Update update = new Update().set("light", task.light().name());
        List<Assignment> assignments = task.assignments();
        for (int i = 0; i < assignments.size(); i++) {
            update.set("assignments." + i + ".light", assignments.get(i).light().name());
        }
        mongo.updateFirst(Query.query(Criteria.where("_id").is(task.id()).and("version").is(task.version())), update,
                TASKS);
    }
}
