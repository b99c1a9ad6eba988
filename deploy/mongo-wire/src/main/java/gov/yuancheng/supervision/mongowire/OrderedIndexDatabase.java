package gov.yuancheng.supervision.mongowire;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.h2.H2UniqueIndex;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ObjectDataType;

/**
 * mongo-java-server's H2 database with unique indexes (every collection's {@code _id} among them) whose keys are
 * compared as MongoDB orders values. The stock index map has no order for its keys and compares them by
 * Java-serializing both at every step of every lookup, which made index lookups most of the time of an insert.
 * The keys are stored as before; an index that was ordered the stock way is read and written again in this order
 * the first time it is opened (a map of index names records which are done). Each index also serves queries that
 * name more than its key ({@link KeyLookupIndex}).
 */
final class OrderedIndexDatabase extends H2Database {

    private static final String ORDERED_INDEXES = "supervision.ordered-indexes";
    private static final String ORDER = "mongodb-value-order";
    private static final Field STORE;
    private static final Constructor<H2UniqueIndex> INDEX;

    static {
        try {
            // The backend keeps both to itself; they are reached here rather than copied.
            STORE = H2Database.class.getDeclaredField("mvStore");
            STORE.setAccessible(true);
            INDEX = H2UniqueIndex.class.getDeclaredConstructor(MVMap.class, String.class, List.class, boolean.class);
            INDEX.setAccessible(true);
        }
        catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    OrderedIndexDatabase(String name, MVStore store, CursorRegistry cursors) {
        super(name, store, cursors);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
            boolean sparse) {
        try {
            // Called from the superclass's constructor, once its store is set.
            MVStore store = (MVStore) STORE.get(this);
            String name = getFullCollectionNamespace(collectionName) + "._index_" + indexName;
            MVMap<String, String> ordered = store.openMap(ORDERED_INDEXES);
            if (!ORDER.equals(ordered.get(name)) && store.hasMap(name)) {
                MVMap<KeyValue, Object> stock = store.openMap(name);
                List<Map.Entry<KeyValue, Object>> entries = new ArrayList<>(stock.entrySet());
                store.removeMap(stock);
                MVMap<KeyValue, Object> rewritten = store.openMap(name, new MVMap.Builder<KeyValue, Object>()
                        .keyType(new KeyOrder()));
                entries.forEach(entry -> rewritten.put(entry.getKey(), entry.getValue()));
            }
            MVMap<KeyValue, Object> map = store.openMap(name, new MVMap.Builder<KeyValue, Object>().keyType(new KeyOrder()));
            ordered.put(name, ORDER);
            return new KeyLookupIndex(INDEX.newInstance(map, indexName, keys, sparse), map, sparse);
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot open index " + indexName + " of " + collectionName, e);
        }
    }

    /** Index keys in MongoDB's order of values, field by field; everything else as H2 orders objects. */
    static final class KeyOrder extends ObjectDataType {

        private static final ValueComparator VALUES = ValueComparator.ascWithoutListHandling();

        @Override
        public int compare(Object a, Object b) {
            if (a instanceof KeyValue x && b instanceof KeyValue y) {
                for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                    int c = VALUES.compare(x.get(i), y.get(i));
                    if (c != 0) {
                        return c;
                    }
                }
                return Integer.compare(x.size(), y.size());
            }
            return super.compare(a, b);
        }
    }
}
