package gov.yuancheng.supervision.notify.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import gov.yuancheng.supervision.notify.store.Inserts;
import org.bson.Document;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
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
 * <p>Claims: a replica that wants to send reminders sets its claim token and a lease on those of them that are due,
 * pending and not leased, in one conditional update of their documents, and sends the ones that carry its token.
 * A replica killed while sending leaves its lease to expire, after which another claims them. Every operation on the
 * large {@code reminders} collection selects by {@code _id}, alone or with conditions.
 */
@Component
public class ReminderStore {

    static final String SLOTS = "reminder_slots";
    static final String STATE = "sweep_state";

    private final MongoTemplate mongo;
    private final ScheduleSettings settings;

    public ReminderStore(MongoTemplate mongo, ScheduleSettings settings) {
        this.mongo = mongo;
        this.settings = settings;
    }

    /**
     * Indexes for a real MongoDB (the local store accepts but does not use non-unique ones). The sweep and
     * every reminder operation need only {@code _id}; these serve the event path.
     */
    @EventListener(ApplicationReadyEvent.class)
    void createIndexes() {
        mongo.indexOps(Assignment.class).createIndex(new Index().on("taskId", Sort.Direction.ASC).named("task"));
        mongo.indexOps(Assignment.class).createIndex(new Index().on("state", Sort.Direction.ASC).named("state"));
    }

    public Reminder find(String key) {
        return mongo.findById(key, Reminder.class);
    }

    public List<Reminder> findAll(Collection<String> keys) {
        return mongo.find(new Query(Criteria.where("_id").in(keys)), Reminder.class);
    }

    /** Stores a planned reminder (or revives it when it was cancelled) and files it under its minute. */
    public boolean store(Reminder reminder, Instant now) {
        return !storeAll(List.of(reminder), now).isEmpty();
    }

    /**
     * Stores planned reminders (reviving those that were cancelled) and files them under their minutes: one read,
     * one bulk insert, one update of the revived and one bulk write of the slots, however many there are. Returns
     * the keys stored or revived, in the order given; a key already pending or sent is left as it is.
     */
    public List<String> storeAll(List<Reminder> planned, Instant now) {
        if (planned.isEmpty()) {
            return List.of();
        }
        Map<String, Reminder.Status> stored = new HashMap<>();
        Query existing = new Query(Criteria.where("_id").in(planned.stream().map(Reminder::key).toList()));
        existing.fields().include("status");
        for (Document d : mongo.find(existing, Document.class, mongo.getCollectionName(Reminder.class))) {
            stored.put(d.getString("_id"), Reminder.Status.valueOf(d.getString("status")));
        }
        List<Reminder> fresh = planned.stream().filter(r -> !stored.containsKey(r.key())).toList();
        Set<String> revived = new HashSet<>();
        planned.forEach(r -> {
            if (stored.get(r.key()) == Reminder.Status.CANCELLED) {
                revived.add(r.key());
            }
        });
        Inserts.newOnly(mongo, Reminder.class, fresh);
        if (!revived.isEmpty()) {
            mongo.updateMulti(new Query(Criteria.where("_id").in(revived).and("status").is(Reminder.Status.CANCELLED)),
                    new Update().set("status", Reminder.Status.PENDING), Reminder.class);
        }
        // keys are only ever appended (pushed: a slot of a busy minute holds thousands, and a set would compare the
        // new key with each), so that a slot's finished prefix stays finished; a revived key is appended again
        // because its first entry may lie in that prefix. A key filed twice (two writers storing it at once) is
        // claimed once and counts as finished at both places.
        Map<Long, List<String>> appended = new LinkedHashMap<>();
        List<String> result = new ArrayList<>();
        for (Reminder r : planned) {
            if (!stored.containsKey(r.key()) || revived.contains(r.key())) {
                long slot = slotId(Math.max(minute(r.dueAt()), minute(now)), r.key());
                appended.computeIfAbsent(slot, k -> new ArrayList<>()).add(r.key());
                result.add(r.key());
            }
        }
        if (!result.isEmpty()) {
            BulkOperations slots = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, SLOTS);
            appended.forEach((slot, keys) -> slots.upsert(byId(slot), new Update().push("keys").each(keys.toArray())));
            slots.execute();
        }
        return result;
    }

    /** Cancels reminders; a lease on one ends with it, so that it can be claimed at once should it be planned again. */
    public void cancel(Collection<String> keys) {
        if (!keys.isEmpty()) {
            mongo.updateMulti(new Query(Criteria.where("_id").in(keys)),
                    new Update().set("status", Reminder.Status.CANCELLED).unset("leaseUntil"), Reminder.class);
        }
    }

    /**
     * Claims for this replica those of the keys that are due, pending and not leased by another replica, in one
     * conditional update; the result also names the keys that need nothing more (sent, cancelled or gone).
     */
    public Claim claim(List<String> keys, Instant now) {
        return claim(keys, now, now);
    }

    /**
     * Claims those of the keys that fall due by {@code until} (now, or a little ahead, to prepare them), are pending
     * and not leased by another replica; the lease runs for its length after {@code until}.
     */
    public Claim claim(List<String> keys, Instant now, Instant until) {
        String token = UUID.randomUUID().toString();
        Criteria unleased = new Criteria().orOperator(Criteria.where("leaseUntil").exists(false),
                Criteria.where("leaseUntil").lte(now));
        mongo.updateMulti(new Query(Criteria.where("_id").in(keys).and("status").is(Reminder.Status.PENDING)
                .and("dueAt").lte(until).andOperator(unleased)),
                new Update().set("claim", token).set("leaseUntil", until.plus(settings.lease())), Reminder.class);
        Map<String, Reminder> claimed = new HashMap<>();
        Map<String, Instant> leased = new HashMap<>();
        Set<String> finished = new HashSet<>(keys);
        for (Document stored : mongo.find(new Query(Criteria.where("_id").in(keys)), Document.class,
                mongo.getCollectionName(Reminder.class))) {
            if (!Reminder.Status.PENDING.name().equals(stored.getString("status"))) {
                continue;
            }
            String key = stored.getString("_id");
            finished.remove(key);
            if (token.equals(stored.getString("claim"))) {
                claimed.put(key, mongo.getConverter().read(Reminder.class, stored));
            }
            else if (stored.get("leaseUntil") instanceof Date lease && lease.toInstant().isAfter(now)) {
                leased.put(key, lease.toInstant());
            }
        }
        return new Claim(token, keys.stream().distinct().filter(claimed::containsKey).map(claimed::get).toList(),
                finished, leased);
    }

    /** Claims one reminder, if it is due, pending and not leased. */
    public Optional<Reminder> claim(String key, Instant now) {
        return claim(List.of(key), now).reminders().stream().findFirst();
    }

    /**
     * Marks sent those of the claimed reminders that this claim still holds (a slow send may have outlived its
     * lease, and another replica then sends them again, reaching nobody twice).
     */
    public void markSent(String claim, Collection<String> keys, Instant now, boolean late) {
        if (!keys.isEmpty()) {
            mongo.updateMulti(new Query(Criteria.where("_id").in(keys).and("claim").is(claim)),
                    new Update().set("status", Reminder.Status.SENT).set("sentAt", now).set("late", late), Reminder.class);
        }
    }

    /** Ends the lease of claimed reminders that will not be sent under this claim, so that any replica may take them. */
    public void release(String claim, Collection<String> keys) {
        if (!keys.isEmpty()) {
            mongo.updateMulti(new Query(Criteria.where("_id").in(keys).and("claim").is(claim)),
                    new Update().unset("leaseUntil"), Reminder.class);
        }
    }

    /**
     * The keys filed between the watermark and {@code until} (now, or a little ahead), in due order, and how far the
     * watermark may move after them.
     */
    public DueSlots dueSlots(Instant now, Instant until) {
        long nowMinute = minute(now);
        long lastMinute = Math.max(nowMinute, minute(until));
        Document state = mongo.findAndModify(byId("reminders"),
                new Update().setOnInsert("minute", nowMinute - settings.graceMinutes()),
                FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, STATE);
        long from = state.get("minute", Number.class).longValue();
        long to = Math.min(lastMinute, from + settings.catchUpMinutesPerSweep());
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
        return new DueSlots(from, to, nowMinute, lastMinute, slots);
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

    /** A slot's keys in filing order; the first {@code done} of them are known to be finished. */
    public record Slot(long id, long minute, List<String> keys, int done) {

        public List<String> open() {
            return keys.subList(Math.min(done, keys.size()), keys.size());
        }
    }

    /** Slots of the minutes {@code from} to {@code to}; {@code lastMinute} is the last one the sweep wants to read. */
    public record DueSlots(long from, long to, long nowMinute, long lastMinute, List<Slot> slots) {
    }

    /**
     * The reminders a claim took, in the order asked, the keys asked for that need nothing more, and those that another
     * claim holds, with the end of its lease.
     */
    public record Claim(String token, List<Reminder> reminders, Set<String> finished, Map<String, Instant> leased) {
    }
}
