package gov.yuancheng.supervision.mongowire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import org.h2.mvstore.MVMap;

/**
 * mongo-java-server's H2 collection with a query planner for its {@link SecondaryIndex}es. A query that the unique
 * indexes cannot answer, and that asks (at its top level or in an {@code $and}) for one value of a secondary index's
 * first key, reads only the documents holding that value (of several such values, the one with the fewest); when it
 * sorts by the index's second key alone, it reads them in that order and stops when the page is full. A count whose
 * only condition is such a value is counted in the index. Every document read is still matched against the whole
 * query, so the index only has to hold at least the matching ones. A sparse index also serves {@code {$exists: true}}
 * on its first key: it holds every document that has the key.
 */
final class StoreCollection extends H2Collection {

    private static final Document EXISTS = new Document("$exists", true);

    /** How many times the documents of the cheapest lookup a walk in the sort's order may hold and still be taken. */
    private static final long SORTED_WALK_ALLOWANCE = 10;

    /**
     * How many more lookups the cheapest one is intersected with, and how many index entries each may have per
     * document still kept (walking an entry costs about an eighth of reading and matching a document).
     */
    private static final int INTERSECTED = 3;
    private static final long INTERSECT_ALLOWANCE = 8;

    /** False while the backend's constructor runs (it asks for the size, for a debug line). */
    private final boolean opened;

    /** True while an update of this collection runs (under its monitor): it reads what it changes as copies. */
    private boolean updating;

    StoreCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
            MVMap<String, Object> meta, CursorRegistry cursors) {
        super(database, name, options, data, meta, cursors);
        opened = true;
    }

    /**
     * A stored document is never changed: an update changes a copy and stores it in the document's place. The server
     * changes the document it read in place, while answers it sent carry the stored documents themselves, encoded
     * after the collection's lock is released, and a commit encodes the stored documents beside the updates: either
     * failed with a {@link java.util.ConcurrentModificationException} when it met a document being changed (the client
     * saw its connection closed; the file store closed itself).
     */
    @Override
    public synchronized Document updateDocuments(Document selector, Document updateQuery, ArrayFilters arrayFilters,
            boolean isMulti, boolean isUpsert, Oplog oplog) {
        updating = true;
        try {
            return super.updateDocuments(selector, updateQuery, arrayFilters, isMulti, isUpsert, oplog);
        }
        finally {
            updating = false;
        }
    }

    /** As {@link #updateDocuments}: what it changes, it changes in a copy. */
    @Override
    public synchronized Document findAndModify(Document query) {
        updating = true;
        try {
            return super.findAndModify(query);
        }
        finally {
            updating = false;
        }
    }

    /**
     * The backend would keep the collection's total size up to date by encoding every inserted, removed and updated
     * document once more (an update twice) and rewriting the size at every commit; nothing but {@code collStats} reads
     * it, so it is summed when asked instead.
     */
    @Override
    protected boolean tracksDataSize() {
        return false;
    }

    @Override
    protected synchronized int getDataSize() {
        if (!opened) {
            return 0;
        }
        long size = 0;
        for (Document document : queryDocuments(new Document(), null, 0, 0, 0, null)) {
            size += StoreDatabase.BsonDocuments.size(document);
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** Builds a new index under the collection's lock, so that no write slips past the build. */
    @Override
    public synchronized void addIndex(Index<Object> index) {
        super.addIndex(index);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
            Document fieldSelector) {
        QueryResult found = planned(query, orderBy, skip, limit, batchSize, fieldSelector);
        if (!updating) {
            return found;
        }
        // The server replaces the fields of the document it read with those of the updated document it computed in a
        // deep copy of its own: the read document's nested values are never changed, so a copy of its top level is
        // enough (a deep one was a twentieth of the store's time under load).
        List<Document> copies = new ArrayList<>();
        found.forEach(document -> copies.add(new Document(document)));
        return new QueryResult(copies, found.getCursorId());
    }

    private QueryResult planned(Document query, Document orderBy, int skip, int limit, int batchSize,
            Document fieldSelector) {
        Plan plan = plan(query, orderBy);
        if (plan == null) {
            return super.queryDocuments(query, orderBy, skip, limit, batchSize, fieldSelector);
        }
        if (plan.sortKey() != null) {
            try {
                Stream<Document> inOrder = documents(plan.index().positions(plan.value(), plan.ascending()))
                        .peek(document -> requireNoArray(document, plan.sortKey()));
                return matchDocumentsFromStream(query, inOrder, skip, limit, batchSize, null, fieldSelector);
            }
            catch (ArrayOnSortPath e) {
                // an array sorts by its least or greatest element, not by the entry the walk met first
            }
        }
        return matchDocumentsFromStream(documents(candidates(plan)), query, orderBy, skip, limit, batchSize,
                fieldSelector);
    }

    /**
     * The positions of the documents holding the plan's value, without those that lack one of the other values it
     * asks for (read from their indexes, which costs far less than reading a document), in the first index's order.
     */
    private static Stream<Object> candidates(Plan plan) {
        Stream<Object> positions = plan.index().positions(plan.value(), true);
        if (plan.also().isEmpty()) {
            return positions;
        }
        Set<Object> kept = positions.collect(Collectors.toCollection(LinkedHashSet::new));
        for (Lookup other : plan.also()) {
            if (other.count() > kept.size() * INTERSECT_ALLOWANCE) {
                break; // walking its entries would cost more than reading the documents it might rule out
            }
            kept.retainAll(other.index().positions(other.value(), true).collect(Collectors.toSet()));
        }
        return kept.stream();
    }

    @Override
    public synchronized int count(Document query, int skip, int limit) {
        Plan plan = plan(query, null);
        if (plan != null && plan.covered() && skip <= 0 && limit <= 0) {
            return (int) plan.index().count(plan.value());
        }
        return super.count(query, skip, limit);
    }

    private Stream<Document> documents(Stream<Object> positions) {
        return positions.map(this::getDocument).filter(Objects::nonNull);
    }

    private static void requireNoArray(Document document, String path) {
        if (Utils.getSubdocumentValueCollectionAware(document, path) instanceof Collection) {
            throw new ArrayOnSortPath();
        }
    }

    private static final class ArrayOnSortPath extends RuntimeException {

        ArrayOnSortPath() {
            super(null, null, false, false);
        }
    }

    /**
     * The index to read, the value to look up, the key to sort by (null: sort what was read), whether the lookup
     * is the whole query, and the other lookups whose documents are kept (only when sorting what was read).
     */
    private record Plan(SecondaryIndex index, Object value, String sortKey, boolean ascending, boolean covered,
            List<Lookup> also) {
    }

    /** A value looked up in an index, and how many documents hold it. */
    private record Lookup(SecondaryIndex index, Object value, long count) {
    }

    /**
     * Of the values the query asks for in an index's first key, the one with the fewest documents, kept only where
     * the documents also hold the next rarest values (up to {@link #INTERSECTED} of them, while each has at most
     * {@link #INTERSECT_ALLOWANCE} entries per document still kept); a walk in the order the query sorts by is taken
     * instead when its value has at most {@link #SORTED_WALK_ALLOWANCE} times as many documents (it stops at the end
     * of the page, so it usually reads far fewer than it holds).
     */
    private Plan plan(Document query, Document orderBy) {
        if (query == null || (orderBy != null && orderBy.containsKey("$natural"))
                || getIndexes().stream().anyMatch(index -> index.canHandle(query))) {
            return null; // an order by $natural is the collection's own; a unique index answers the lookup
        }
        Map<String, List<Object>> conditions = new LinkedHashMap<>();
        boolean whole = conjuncts(query, conditions);
        boolean single = whole && conditions.size() == 1 && conditions.values().iterator().next().size() == 1;
        String sortKey = orderBy != null && orderBy.size() == 1 ? orderBy.keySet().iterator().next() : null;
        List<Lookup> lookups = new ArrayList<>();
        Lookup sorted = null;
        for (Index<Object> candidate : getIndexes()) {
            if (!(candidate instanceof SecondaryIndex index) || !conditions.containsKey(index.firstKey())) {
                continue;
            }
            IndexKey second = index.secondKey();
            boolean inOrder = sortKey != null && second != null && second.getKey().equals(sortKey);
            for (Object condition : conditions.get(index.firstKey())) {
                Object value = lookup(condition);
                if (value == null && index.isSparse() && EXISTS.equals(condition)) {
                    lookups.add(new Lookup(index, SecondaryIndex.EVERY, index.count(SecondaryIndex.EVERY)));
                    continue; // its entries are not in the order of the second key
                }
                if (value == null) {
                    continue;
                }
                Lookup lookup = new Lookup(index, value, index.count(value));
                lookups.add(lookup);
                if (inOrder && (sorted == null || lookup.count() < sorted.count())) {
                    sorted = lookup;
                }
            }
        }
        if (lookups.isEmpty()) {
            return null;
        }
        lookups.sort(Comparator.comparingLong(Lookup::count));
        Lookup fewest = lookups.get(0);
        single &= fewest.value() != SecondaryIndex.EVERY; // counted by entries, not documents
        if (sorted != null && sorted.count() / SORTED_WALK_ALLOWANCE <= fewest.count()) {
            return new Plan(sorted.index(), sorted.value(), sortKey, ((Number) orderBy.get(sortKey)).intValue() > 0,
                    single, List.of());
        }
        List<Lookup> also = lookups.stream().skip(1)
                .filter(other -> other.index() != fewest.index() || !other.value().equals(fewest.value()))
                .limit(INTERSECTED).toList();
        return new Plan(fewest.index(), fewest.value(), null, true, single, also);
    }

    /**
     * Collects the field conditions that every matching document satisfies (the query's own and those of its
     * {@code $and}s, several for a field named more than once); returns whether they are the whole query.
     */
    private static boolean conjuncts(Document query, Map<String, List<Object>> conditions) {
        boolean whole = true;
        for (Map.Entry<String, Object> entry : query.entrySet()) {
            if (entry.getKey().equals("$and") && entry.getValue() instanceof Collection<?> parts) {
                for (Object part : parts) {
                    whole &= part instanceof Document document && conjuncts(document, conditions);
                }
            }
            else if (entry.getKey().startsWith("$")) {
                whole = false;
            }
            else {
                conditions.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(entry.getValue());
            }
        }
        return whole;
    }

    /** The one value a condition asks for ({@code v} or {@code {$eq: v}}), or null. */
    private static Object lookup(Object condition) {
        Object value = condition instanceof Document document && document.size() == 1 && document.containsKey("$eq")
                ? document.get("$eq") : condition;
        return SecondaryIndex.isLookup(value) ? value : null;
    }
}
