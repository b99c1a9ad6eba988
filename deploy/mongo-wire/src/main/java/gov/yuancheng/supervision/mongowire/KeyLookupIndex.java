package gov.yuancheng.supervision.mongowire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * A unique index of one key that also serves queries naming more than its key. The stock index serves a query
 * only when the query names its key and nothing else, so {@code {_id: x, version: 3}} (an optimistic update),
 * {@code {_id: {$in: [...]}, status: "PENDING"}} (a conditional claim) or {@code {_id: {$gt: 10}}} (a range of a
 * log) each read the whole collection. Here such a query reads only the documents whose key is equal to, in, or
 * within the range of what the query asks; the collection still matches every returned document against the whole
 * query, so the index only has to return at least the matching ones. Ranges walk the index map, whose keys are in
 * MongoDB's order of values ({@link StoreDatabase.KeyOrder}).
 */
final class KeyLookupIndex extends Index<Object> {

    private static final Set<String> RANGE = Set.of("$gt", "$gte", "$lt", "$lte");

    private final Index<Object> index;
    private final MVMap<KeyValue, Object> map;
    private final String key;

    KeyLookupIndex(Index<Object> index, MVMap<KeyValue, Object> map, boolean sparse) {
        super(index.getName(), index.getKeys(), sparse);
        this.index = index;
        this.map = map;
        this.key = index.getKeys().size() == 1 ? index.getKeys().get(0).getKey() : null;
    }

    @Override
    public boolean canHandle(Document query) {
        return index.canHandle(query) || keyCondition(query) != null;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        if (index.canHandle(query)) {
            return index.getPositions(query);
        }
        Object value = keyCondition(query);
        if (lookup(value) == Lookup.RANGE) {
            return range((Document) value);
        }
        return index.getPositions(new Document(key, value));
    }

    /**
     * What the query asks of the key that the index can look up, at the query's top level or in one of its
     * {@code $and}s ({@code {$and: [{_id: x, ...}, {$or: [...]}]}}, a claim of one document); null when nothing.
     */
    private Object keyCondition(Document query) {
        if (key == null) {
            return null;
        }
        if (query.containsKey(key) && lookup(query.get(key)) != Lookup.NONE) {
            return query.get(key);
        }
        if (query.get("$and") instanceof Collection<?> parts) {
            for (Object part : parts) {
                Object condition = part instanceof Document document ? keyCondition(document) : null;
                if (condition != null) {
                    return condition;
                }
            }
        }
        return null;
    }

    private enum Lookup {
        NONE, EQUAL, IN, RANGE
    }

    private static Lookup lookup(Object value) {
        if (value == null || value instanceof Collection || value instanceof Pattern
                || BsonRegularExpression.isRegularExpression(value)) {
            return Lookup.NONE;
        }
        if (!(value instanceof Document condition)) {
            return Lookup.EQUAL;
        }
        if (condition.size() == 1 && condition.get("$in") instanceof Collection<?> values
                && values.stream().allMatch(v -> lookup(v) == Lookup.EQUAL)) {
            return Lookup.IN;
        }
        if (!condition.isEmpty() && RANGE.containsAll(condition.keySet())
                && condition.values().stream().allMatch(v -> lookup(v) == Lookup.EQUAL)) {
            return Lookup.RANGE;
        }
        return Lookup.NONE;
    }

    /** Every position whose key lies between the range's bounds, both taken inclusively (a superset). */
    private List<Object> range(Document condition) {
        KeyValue lower = null;
        KeyValue upper = null;
        for (Map.Entry<String, Object> bound : condition.entrySet()) {
            KeyValue value = new KeyValue(bound.getValue());
            if (bound.getKey().startsWith("$g")) {
                lower = lower == null || map.getKeyType().compare(value, lower) > 0 ? value : lower;
            }
            else {
                upper = upper == null || map.getKeyType().compare(value, upper) < 0 ? value : upper;
            }
        }
        List<Object> positions = new ArrayList<>();
        Cursor<KeyValue, Object> cursor = map.cursor(lower, upper, false);
        while (cursor.hasNext()) {
            cursor.next();
            positions.add(cursor.getValue());
        }
        return positions;
    }

    @Override
    public Object getPosition(Document document) {
        return index.getPosition(document);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        index.checkAdd(document, collection);
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        index.add(document, position, collection);
    }

    @Override
    public Object remove(Document document) {
        return index.remove(document);
    }

    @Override
    public long getCount() {
        return index.getCount();
    }

    @Override
    public boolean isEmpty() {
        return index.isEmpty();
    }

    @Override
    public long getDataSize() {
        return index.getDataSize();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        index.checkUpdate(oldDocument, newDocument, collection);
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position,
            MongoCollection<Object> collection) {
        index.updateInPlace(oldDocument, newDocument, position, collection);
    }

    @Override
    public void drop() {
        index.drop();
    }

    @Override
    public boolean isUnique() {
        return index.isUnique();
    }
}
