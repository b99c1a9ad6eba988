package gov.yuancheng.supervision.mongowire;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;

/**
 * A non-unique index (mongo-java-server accepts their declarations and keeps none). It lives in memory and is built
 * from the collection when the store opens the collection or the index is declared, so that it can never disagree with
 * the file after a crash, and its changes cost a commit nothing. Its entries are the document's key values followed by
 * the document's position, in MongoDB's order of values ({@link StoreDatabase.KeyOrder}); a document with an array on
 * the key's path has an entry for each element.
 *
 * <p>It does not answer queries through {@link #canHandle}: {@link StoreCollection} picks it when a query asks for one
 * value of its first key, and walks it in order when the query sorts by its second key.
 */
final class SecondaryIndex extends Index<Object> {

    private static final String ID = "_id";
    private static final Comparator<Object> VALUES = StoreDatabase.KeyOrder.VALUES;

    /** The entries, each a fixed-size list over its array of values (a key value would hold a list and its array). */
    private final NavigableMap<List<Object>, Boolean> entries =
            new ConcurrentSkipListMap<>(StoreDatabase.KeyOrder::compareKeys);

    /** How many documents hold each value of the first key. */
    private final ConcurrentSkipListMap<Object, LongAdder> documents = new ConcurrentSkipListMap<>(VALUES);

    /** Whether some document has more than one entry (an array on the key's path). */
    private volatile boolean multiKey;

    SecondaryIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
    }

    @Override
    protected boolean isSparse() {
        return super.isSparse();
    }

    String firstKey() {
        return getKeys().get(0).getKey();
    }

    /** The second key and whether it is ascending, or null for an index of one key. */
    IndexKey secondKey() {
        return getKeys().size() > 1 ? getKeys().get(1) : null;
    }

    /**
     * The positions of the documents whose first key holds the value, once each, ordered by the second key
     * (ascending or not) and then by position, read from the index as the stream is consumed; a document with several
     * entries comes where its first one is.
     */
    Stream<Object> positions(Object value, boolean ascending) {
        if (value == EVERY) {
            Stream<Object> every = (ascending ? entries.keySet() : entries.descendingKeySet()).stream()
                    .map(key -> key.get(key.size() - 1));
            return multiKey ? every.distinct() : every;
        }
        // walked from the value's first (or last) entry on while the entries start with it: a bounded view would
        // compare every entry with its bound in MongoDB's order, most of the walk's cost
        NavigableMap<List<Object>, Boolean> from = ascending ? entries.tailMap(List.of(value), true)
                : entries.headMap(List.of(value, MaxKey.getInstance()), true).descendingMap();
        Stream<Object> positions = from.keySet().stream().takeWhile(key -> startsWith(key, value))
                .map(key -> key.get(key.size() - 1));
        return multiKey ? positions.distinct() : positions;
    }

    private static boolean startsWith(List<Object> key, Object value) {
        Object first = key.get(0);
        return value.equals(first) || VALUES.compare(first, value) == 0;
    }

    /**
     * The value that stands for every document a sparse index holds: those that have one of its keys, which a query
     * asking {@code {$exists: true}} of its first key needs (an outbox's pending events).
     */
    static final Object EVERY = new Object();

    /** How many documents hold the value in the first key (for {@link #EVERY}, how many entries the index has). */
    long count(Object value) {
        if (value == EVERY) {
            return entries.size();
        }
        LongAdder count = documents.get(value);
        return count == null ? 0 : count.sum();
    }

    /** Whether a condition on the first key asks for exactly one value that this index can look up. */
    static boolean isLookup(Object condition) {
        return !(condition == null || condition instanceof Missing || condition instanceof Collection
                || condition instanceof Map || condition instanceof Pattern
                || BsonRegularExpression.isRegularExpression(condition));
    }

    private Set<List<Object>> entriesOf(Document document) {
        Set<KeyValue> keys = getKeyValues(document);
        Object position = Utils.getSubdocumentValue(document, ID);
        Set<List<Object>> result = new LinkedHashSet<>();
        for (KeyValue key : keys) {
            if (isSparse() && allMissing(key) && absent(document)) {
                continue;
            }
            Object[] values = new Object[key.size() + 1];
            for (int i = 0; i < key.size(); i++) {
                values[i] = key.get(i);
            }
            values[0] = canonical(values[0]);
            values[key.size()] = position;
            result.add(Arrays.asList(values));
        }
        if (result.size() > 1) {
            multiKey = true;
        }
        return result;
    }

    /**
     * The instance of a string that the index already holds, or the string: each document decodes its own copies, and
     * a text's title pairs repeat across documents (most of the index's entries, and a third of its objects).
     */
    private Object canonical(Object value) {
        if (value instanceof String) {
            Object held = documents.ceilingKey(value);
            if (value.equals(held)) {
                return held;
            }
        }
        return value;
    }

    /** Whether the document has none of the keys (a key set to null is there: the entry is kept). */
    private boolean absent(Document document) {
        for (IndexKey key : getKeys()) {
            if (!(Utils.getSubdocumentValueCollectionAware(document, key.getKey()) instanceof Missing)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allMissing(KeyValue key) {
        for (Object value : key) {
            if (value != null && !(value instanceof Missing)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Object getPosition(Document document) {
        return null; // the _id index answers this
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        getKeyValues(document); // refuses parallel arrays, as MongoDB does
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        add(entriesOf(document));
    }

    private void add(Set<List<Object>> keys) {
        keys.forEach(key -> entries.put(key, Boolean.TRUE));
        firstValues(keys).forEach(this::counted);
    }

    private void remove(Set<List<Object>> keys) {
        keys.forEach(entries::remove);
        firstValues(keys).forEach(this::uncounted);
    }

    private void counted(Object value) {
        documents.computeIfAbsent(value, v -> new LongAdder()).increment();
    }

    private void uncounted(Object value) {
        documents.computeIfPresent(value, (v, count) -> {
            count.decrement();
            return count.sum() == 0 ? null : count;
        });
    }

    /** The values of the first key that a document's entries hold, each once, those a lookup can ask for. */
    private static Set<Object> firstValues(Set<List<Object>> keys) {
        Set<Object> values = new TreeSet<>(VALUES);
        keys.stream().map(key -> key.get(0)).filter(SecondaryIndex::isLookup).forEach(values::add);
        return values;
    }

    @Override
    public Object remove(Document document) {
        remove(entriesOf(document));
        return Utils.getSubdocumentValue(document, ID);
    }

    @Override
    public boolean canHandle(Document query) {
        return false;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        throw new UnsupportedOperationException("answered by the query planner");
    }

    @Override
    public long getCount() {
        return entries.size();
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        if (!sameKeys(oldDocument, newDocument)) {
            getKeyValues(newDocument);
        }
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position,
            MongoCollection<Object> collection) {
        if (sameKeys(oldDocument, newDocument)) {
            return; // most updates change none of an index's keys: its entries stay as they are
        }
        Set<List<Object>> before = entriesOf(oldDocument);
        Set<List<Object>> after = entriesOf(newDocument);
        if (before.equals(after)) {
            return;
        }
        // only the entries and counts that differ: a task's title pairs stay while its status changes
        Set<List<Object>> gone = new LinkedHashSet<>(before);
        gone.removeAll(after);
        Set<List<Object>> added = new LinkedHashSet<>(after);
        added.removeAll(before);
        gone.forEach(entries::remove);
        added.forEach(key -> entries.put(key, Boolean.TRUE));
        Set<Object> valuesBefore = firstValues(before);
        Set<Object> valuesAfter = firstValues(after);
        valuesBefore.stream().filter(value -> !valuesAfter.contains(value)).forEach(this::uncounted);
        valuesAfter.stream().filter(value -> !valuesBefore.contains(value)).forEach(this::counted);
    }

    /** Whether the two documents hold equal values (lists, documents and all) on every path of the index's keys. */
    private boolean sameKeys(Document one, Document other) {
        for (IndexKey key : getKeys()) {
            if (!Objects.equals(Utils.getSubdocumentValueCollectionAware(one, key.getKey()),
                    Utils.getSubdocumentValueCollectionAware(other, key.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void drop() {
        entries.clear();
        documents.clear();
    }
}
