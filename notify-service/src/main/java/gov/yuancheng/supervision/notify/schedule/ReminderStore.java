package gov.yuancheng.supervision.notify.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.bson.Document;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Stored reminders and the two structures that make sending them exactly once and cheap to find.
 *
 * <p>Slots: a reminder's key is also filed under the minute it falls due ({@code reminder_slots}, id =
 * minute * shards + shard). A sweep reads only the slots between a stored watermark and now, by id, so
 * its cost grows with what is due, not with what is open, and it uses nothing but the {@code _id} index
 * (which every MongoDB-wire store uses). The watermark moves past a minute only when every reminder filed
 * there is sent or cancelled and the minute is {@code graceMinutes} old; a reminder planned for a past
 * minute is filed under the current one, so none is ever behind the watermark.
 *
 * <p>Claims: a replica that wants to send a reminder inserts {@code reminder_claims/<key>} with a lease;
 * the unique id makes the claim atomic. A replica killed while sending leaves its claim to expire, after
 * which another takes it over with find-and-modify. Every operation on the large {@code reminders}
 * collection selects by {@code _id} only.
 */
@Component
public class ReminderStore {

    static final String SLOTS = "reminder_slots";
    static final String CLAIMS = "reminder_claims";
    static final String STATE = "sweep_state";

    private final MongoTemplate mongo;
    private final ScheduleSettings settings;
    private final String owner = UUID.randomUUID().toString();

    public ReminderStore(MongoTemplate mongo, ScheduleSettings settings) {
        this.mongo = mongo;
        this.settings = settings;
    }

    /**
     * Indexes for a real MongoDB (the local store accepts but does not use non-unique ones). The sweep and
     * every reminder operation need only {@code _id}; these serve the event path and lease takeovers.
     */
    @EventListener(ApplicationReadyEvent.class)
    void createIndexes() {
        mongo.indexOps(Assignment.class).createIndex(new Index().on("taskId", Sort.Direction.ASC).named("task"));
        mongo.indexOps(Assignment.class).createIndex(new Index().on("state", Sort.Direction.ASC).named("state"));
        mongo.indexOps(CLAIMS).createIndex(new Index().on("leaseUntil", Sort.Direction.ASC).named("lease"));
    }

    public String owner() {
        return owner;
    }

    public Reminder find(String key) {
        return mongo.findById(key, Reminder.class);
    }

    public List<Reminder> findAll(Collection<String> keys) {
        return mongo.find(new Query(Criteria.where("_id").in(keys)), Reminder.class);
    }

    /** Stores a planned reminder (or revives it when it was cancelled) and files it under its minute. */
    public boolean store(Reminder reminder, Instant now) {
        boolean revived = false;
        try {
            mongo.insert(reminder);
        }
        catch (DuplicateKeyException e) {
            Reminder stored = find(reminder.key());
            if (stored == null || stored.status() != Reminder.Status.CANCELLED) {
                return false;
            }
            mongo.updateFirst(byId(reminder.key()), new Update().set("status", Reminder.Status.PENDING), Reminder.class);
            revived = true;
        }
        long minute = Math.max(minute(reminder.dueAt()), minute(now));
        // keys are only ever appended, so that a slot's finished prefix stays finished; a revived key is
        // appended again (push, not addToSet) because its first entry may lie in that prefix
        Update file = revived ? new Update().push("keys", reminder.key()) : new Update().addToSet("keys", reminder.key());
        mongo.upsert(byId(slotId(minute, reminder.key())), file, SLOTS);
        return true;
    }

    public void cancel(String key) {
        mongo.updateFirst(byId(key), new Update().set("status", Reminder.Status.CANCELLED), Reminder.class);
    }

    /**
     * Claims a due, pending reminder for this replica; empty when it is not due, not pending, or another
     * replica holds a live claim. The status is read again after the claim, because the replica that sent
     * it before releases its claim only after marking it sent.
     */
    public Optional<Reminder> claim(String key, Instant now) {
        Reminder reminder = find(key);
        if (reminder == null || reminder.status() != Reminder.Status.PENDING || reminder.dueAt().isAfter(now)) {
            return Optional.empty();
        }
        Instant until = now.plus(settings.lease());
        try {
            mongo.insert(new Document("_id", key).append("owner", owner).append("leaseUntil", until), CLAIMS);
        }
        catch (DuplicateKeyException e) {
            Document taken = mongo.findAndModify(
                    new Query(Criteria.where("_id").is(key).and("leaseUntil").lte(now)),
                    new Update().set("owner", owner).set("leaseUntil", until),
                    FindAndModifyOptions.options().returnNew(true), Document.class, CLAIMS);
            if (taken == null) {
                return Optional.empty();
            }
        }
        Reminder current = find(key);
        if (current == null || current.status() != Reminder.Status.PENDING) {
            release(key);
            return Optional.empty();
        }
        return Optional.of(current);
    }

    /** Whether this replica still holds the claim (a slow send may have outlived its lease). */
    public boolean stillClaimed(String key) {
        Document claim = mongo.findById(key, Document.class, CLAIMS);
        Reminder current = find(key);
        return claim != null && owner.equals(claim.getString("owner")) && current != null
                && current.status() == Reminder.Status.PENDING;
    }

    public void markSent(String key, Instant now, boolean late) {
        mongo.updateFirst(byId(key), new Update().set("status", Reminder.Status.SENT).set("sentAt", now).set("late", late),
                Reminder.class);
        release(key);
    }

    public void release(String key) {
        mongo.remove(new Query(Criteria.where("_id").is(key).and("owner").is(owner)), CLAIMS);
    }

    /** The keys filed between the watermark and now, in due order, and how far the watermark may move after them. */
    public DueSlots dueSlots(Instant now) {
        long nowMinute = minute(now);
        Document state = mongo.findAndModify(byId("reminders"),
                new Update().setOnInsert("minute", nowMinute - settings.graceMinutes()),
                FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, STATE);
        long from = state.get("minute", Number.class).longValue();
        long to = Math.min(nowMinute, from + settings.catchUpMinutesPerSweep());
        List<Long> ids = new ArrayList<>();
        for (long m = from; m <= to; m++) {
            for (int s = 0; s < settings.slotShards(); s++) {
                ids.add(m * settings.slotShards() + s);
            }
        }
        List<Slot> slots = new ArrayList<>();
        for (Document d : mongo.find(new Query(Criteria.where("_id").in(ids)), Document.class, SLOTS)) {
            long id = d.get("_id", Number.class).longValue();
            Number done = d.get("done", Number.class);
            slots.add(new Slot(id, id / settings.slotShards(), d.getList("keys", String.class),
                    done == null ? 0 : done.intValue()));
        }
        slots.sort((x, y) -> Long.compare(x.minute(), y.minute()));
        return new DueSlots(from, to, nowMinute, slots);
    }

    /** Moves the watermark to the first minute that still has unfinished reminders (never backwards). */
    public void advance(DueSlots due) {
        long limit = Math.min(due.to() + 1, due.nowMinute() - settings.graceMinutes());
        long target = limit;
        for (Slot slot : due.slots()) {
            if (slot.minute() >= limit) {
                break;
            }
            if (slot.done() < slot.keys().size() && findAll(slot.open()).stream()
                    .anyMatch(r -> r.status() == Reminder.Status.PENDING)) {
                target = slot.minute();
                break;
            }
        }
        if (target > due.from()) {
            mongo.updateFirst(byId("reminders"), new Update().max("minute", target), STATE);
        }
    }

    static long minute(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), 60);
    }

    private long slotId(long minute, String key) {
        return slotId(minute, key, settings.slotShards());
    }

    static long slotId(long minute, String key, int shards) {
        return minute * shards + Math.floorMod(key.hashCode(), shards);
    }

    private static Query byId(Object id) {
        return new Query(Criteria.where("_id").is(id));
    }

    /**
     * Records that the first {@code count} keys of a slot are sent or cancelled, so that later sweeps (the
     * slot stays in view for the grace minutes, longer while a claim is open) skip them.
     */
    public void finished(Slot slot, int count) {
        if (count > slot.done()) {
            mongo.updateFirst(byId(slot.id()), new Update().max("done", count), SLOTS);
        }
    }

    public boolean finished(String key) {
        Reminder r = find(key);
        return r == null || r.status() != Reminder.Status.PENDING;
    }

    /** A slot's keys in filing order; the first {@code done} of them are known to be finished. */
    public record Slot(long id, long minute, List<String> keys, int done) {

        public List<String> open() {
            return keys.subList(Math.min(done, keys.size()), keys.size());
        }
    }

    public record DueSlots(long from, long to, long nowMinute, List<Slot> slots) {
    }
}
