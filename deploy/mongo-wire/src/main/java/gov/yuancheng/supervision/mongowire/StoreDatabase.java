package gov.yuancheng.supervision.mongowire;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.h2.H2UniqueIndex;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * mongo-java-server's H2 database with two changes to how it keeps things in its file, both measured to be most of
 * the time of a write:
 * <ul>
 * <li>Documents are stored as BSON. The stock data map Java-serializes every document (a new object stream, class
 * descriptors and all) each time its page is written, and a commit writes every document of each page it
 * touched. Here each stored document's encoding is remembered until the document is changed, so a commit encodes
 * only the documents that changed and copies the others.</li>
 * <li>Unique indexes (every collection's {@code _id} among them) compare their keys as MongoDB orders values and
 * write them value by value. The stock index map has no order for its keys and compares them by Java-serializing both at
 * every step of every lookup, and Java-serializes each key whenever its page is written. Each index also serves
 * queries that name more than its key ({@link KeyLookupIndex}).</li>
 * </ul>
 * A map written the stock way is copied into the new form the first time it is opened, a batch of entries per commit,
 * and replaced by the copy in one commit (a map of map names records which are done; an interrupted copy is started
 * again).
 */
final class StoreDatabase extends H2Database {

    private static final String REWRITTEN = "supervision.ordered-indexes";
    private static final String ORDERED = "mongodb-value-order-typed-keys";
    private static final String BSON = "bson";
    private static final Document COUNT = new Document("$group",
            new Document("_id", 1).append("n", new Document("$sum", 1)));
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

    StoreDatabase(String name, MVStore store, CursorRegistry cursors) {
        super(name, store, cursors);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
            boolean sparse) {
        try {
            // Called from the superclass's constructor too, once its store is set.
            MVMap<KeyValue, Object> map = open(getFullCollectionNamespace(collectionName) + "._index_" + indexName,
                    new MVMap.Builder<KeyValue, Object>().keyType(new KeyOrder()), ORDERED);
            return new KeyLookupIndex(INDEX.newInstance(map, indexName, keys, sparse), map, sparse);
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot open index " + indexName + " of " + collectionName, e);
        }
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        String name = getFullCollectionNamespace(collectionName);
        MVMap<Object, Document> data = open("databases." + name,
                new MVMap.Builder<Object, Document>().valueType(new BsonDocuments()), BSON);
        return new StoreCollection(this, collectionName, options, data, store().openMap("meta." + name),
                cursorRegistry);
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
            boolean sparse) {
        return new SecondaryIndex(indexName, keys, sparse);
    }

    /**
     * Answers a count as the drivers ask for one ({@code countDocuments}: a pipeline of {@code $match}, an optional
     * {@code $skip} and {@code $limit}, and a {@code $group} summing 1; Spring Data's {@code exists} is such a count
     * with a limit of 1) through the collection's query planner and unique indexes; the aggregation framework would
     * read every document of the collection.
     */
    @Override
    public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver resolver,
            Oplog oplog) {
        Count asked = command.equalsIgnoreCase("aggregate") ? Count.of(query.get("pipeline")) : null;
        if (asked != null) {
            String collectionName = String.valueOf(query.get(command));
            MongoCollection<Object> collection = resolveCollection(collectionName, false);
            long count = collection == null ? 0 : collection.count(asked.filter(), asked.skip(), asked.limit());
            Document cursor = new Document("id", 0L).append("ns", getFullCollectionNamespace(collectionName))
                    .append("firstBatch", count == 0 ? List.of() : List.of(new Document("_id", 1).append("n", count)));
            Document reply = new Document("cursor", cursor);
            Utils.markOkay(reply);
            return reply;
        }
        return super.handleCommand(channel, command, query, resolver, oplog);
    }

    /** What a count pipeline asks: its filter, and the skip and limit of its middle stages (0 when absent). */
    private record Count(Document filter, int skip, int limit) {

        /**
         * The count a pipeline asks for ({@code $match}, then {@code $skip} before {@code $limit}, each optional,
         * then the {@code $group} summing 1), or null when the pipeline is something else.
         */
        static Count of(Object pipeline) {
            if (!(pipeline instanceof List<?> stages) || stages.size() < 2 || stages.size() > 4
                    || !COUNT.equals(stages.get(stages.size() - 1)) || !(stages.get(0) instanceof Document match)
                    || match.size() != 1 || !(match.get("$match") instanceof Document filter)) {
                return null;
            }
            int skip = 0;
            int limit = 0;
            int next = 0; // 0: a $skip or a $limit may come, 1: only a $limit, 2: nothing
            for (Object stage : stages.subList(1, stages.size() - 1)) {
                if (!(stage instanceof Document document) || document.size() != 1) {
                    return null;
                }
                if (next == 0 && document.get("$skip") instanceof Number n) {
                    skip = n.intValue();
                    next = 1;
                }
                else if (next <= 1 && document.get("$limit") instanceof Number n) {
                    limit = n.intValue();
                    next = 2;
                }
                else {
                    return null;
                }
            }
            return new Count(filter, skip, limit);
        }
    }

    @Override
    public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newCollectionName) {
        super.moveCollection(oldDatabase, collection, newCollectionName);
        // the renamed data map is in the new form already
        store().<String, String>openMap(REWRITTEN).put("databases." + getFullCollectionNamespace(newCollectionName), BSON);
    }

    /** Opens a map in the given form, copying it into that form first if it was written the stock way. */
    private <K, V> MVMap<K, V> open(String name, MVMap.Builder<K, V> form, String formName) {
        MVStore store = store();
        MVMap<String, String> rewritten = store.openMap(REWRITTEN);
        boolean stock = !formName.equals(rewritten.get(name)) && store.hasMap(name);
        if (stock) {
            String copyName = name + ".rewrite";
            if (store.hasMap(copyName)) {
                store.removeMap(copyName);
            }
            MVMap<K, V> written = store.openMap(name);
            MVMap<K, V> copy = store.openMap(copyName, form);
            int copied = 0;
            for (Map.Entry<K, V> entry : written.entrySet()) {
                copy.put(entry.getKey(), entry.getValue());
                if (++copied % 10_000 == 0) {
                    store.commit();
                }
            }
            store.removeMap(written);
            store.renameMap(copy, name);
        }
        rewritten.put(name, formName);
        if (stock) {
            store.commit(); // the copy replaces the map and is recorded as done in one commit
        }
        return store.openMap(name, form);
    }

    private MVStore store() {
        try {
            return (MVStore) STORE.get(this);
        }
        catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Index keys in MongoDB's order of values, field by field, each value written by type (the common ones by hand,
     * the rest as BSON); everything else as H2 orders and writes objects. H2 writes an object of a type it does not
     * know (an index key is one) by Java-serializing it: a new object stream with its class descriptors for every key
     * of every index page a commit writes (internal pages included), and the same backwards for every page read.
     */
    static final class KeyOrder extends ObjectDataType {

        private static final ValueComparator MONGO_ORDER = ValueComparator.ascWithoutListHandling();
        /** MongoDB's order of single values (an index's keys hold no lists: each element has its entry). */
        static final Comparator<Object> VALUES = KeyOrder::compareValues;
        private static final byte KEY = 0;
        private static final byte OTHER = 1;

        @Override
        public void write(WriteBuffer buffer, Object object) {
            if (object instanceof KeyValue key) {
                buffer.put(KEY).putVarInt(key.size());
                key.forEach(value -> writeValue(buffer, value));
            }
            else {
                buffer.put(OTHER);
                super.write(buffer, object);
            }
        }

        @Override
        public Object read(ByteBuffer buffer) {
            if (buffer.get() == OTHER) {
                return super.read(buffer);
            }
            Object[] values = new Object[DataUtils.readVarInt(buffer)];
            for (int i = 0; i < values.length; i++) {
                values[i] = readValue(buffer);
            }
            return new KeyValue(values);
        }

        private static void writeValue(WriteBuffer buffer, Object value) {
            if (value == null) {
                buffer.put((byte) 'n');
            }
            else if (value instanceof Missing) {
                buffer.put((byte) 'm');
            }
            else if (value instanceof String string) {
                byte[] utf8 = string.getBytes(StandardCharsets.UTF_8); // H2's own string writing goes char by char
                buffer.put((byte) 's').putVarInt(utf8.length).put(utf8);
            }
            else if (value instanceof Double number) {
                buffer.put((byte) 'd').putDouble(number);
            }
            else if (value instanceof Long number) {
                buffer.put((byte) 'l').putVarLong(number);
            }
            else if (value instanceof Integer number) {
                buffer.put((byte) 'i').putVarInt(number);
            }
            else if (value instanceof Boolean bool) {
                buffer.put((byte) (bool ? 'T' : 'F'));
            }
            else if (value instanceof Instant instant) {
                buffer.put((byte) 't').putVarLong(instant.getEpochSecond()).putVarInt(instant.getNano());
            }
            else { // documents, ObjectIds, binary...: as the value of a BSON document
                buffer.put((byte) 'x');
                BsonDocuments.writeBson(buffer, new Document("v", value));
            }
        }

        private static Object readValue(ByteBuffer buffer) {
            return switch (buffer.get()) {
                case 'n' -> null;
                case 'm' -> Missing.getInstance();
                case 's' -> {
                    byte[] utf8 = new byte[DataUtils.readVarInt(buffer)];
                    buffer.get(utf8);
                    yield new String(utf8, StandardCharsets.UTF_8);
                }
                case 'd' -> buffer.getDouble();
                case 'l' -> DataUtils.readVarLong(buffer);
                case 'i' -> DataUtils.readVarInt(buffer);
                case 'T' -> Boolean.TRUE;
                case 'F' -> Boolean.FALSE;
                case 't' -> Instant.ofEpochSecond(DataUtils.readVarLong(buffer), DataUtils.readVarInt(buffer));
                case 'x' -> BsonDocuments.readBson(buffer).get("v");
                default -> throw new IllegalStateException("Unknown index key value type");
            };
        }

        @Override
        public int getMemory(Object object) {
            return object instanceof KeyValue key ? 48 + 32 * key.size() : super.getMemory(object);
        }

        @Override
        public int compare(Object a, Object b) {
            if (a instanceof KeyValue && b instanceof KeyValue) {
                return compareKeys(a, b);
            }
            return super.compare(a, b);
        }

        /** Two keys (key values, or a secondary index's entries as lists) value by value, then the shorter first. */
        static int compareKeys(Object x, Object y) {
            int sizeX = size(x);
            int sizeY = size(y);
            for (int i = 0; i < Math.min(sizeX, sizeY); i++) {
                int c = compareValues(value(x, i), value(y, i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(sizeX, sizeY);
        }

        private static int size(Object key) {
            return key instanceof KeyValue values ? values.size() : ((List<?>) key).size();
        }

        private static Object value(Object key, int i) {
            return key instanceof KeyValue values ? values.get(i) : ((List<?>) key).get(i);
        }

        /**
         * The server's order of values, with the pairs of one type that index keys mostly hold compared directly:
         * the server's comparator first looks each value's type up in its list of types (most of an insert's time
         * in the indexes). Same results: for two values of one of these types it compares them just so.
         */
        static int compareValues(Object a, Object b) {
            if (a != null && b != null && a.getClass() == b.getClass()) {
                if (a instanceof String x) {
                    return x.compareTo((String) b);
                }
                if (a instanceof Instant x) {
                    return x.compareTo((Instant) b);
                }
                if (a instanceof Long x) {
                    return Long.compare(x, (Long) b);
                }
                if (a instanceof Integer x) {
                    return Integer.compare(x, (Integer) b);
                }
            }
            return MONGO_ORDER.compare(a, b);
        }
    }

    /**
     * Documents as BSON, with the server's own encoder and decoder (the ones that read and write the wire). The
     * encoding of each document object is remembered (by identity, while the object lives, up to a sixth of the
     * heap): a stored document is never changed, an update stores a changed copy ({@link StoreCollection}). Documents
     * read from the file are remembered too when that sixth is at least 256 MiB: in a small heap, remembering every
     * page read churned the memory and slowed the store down (the fault suite's Kafka scenario drained in 452 s
     * instead of 165 s with the local stack's 256 MiB).
     */
    static final class BsonDocuments extends BasicDataType<Document> {

        private static final long BUDGET = Runtime.getRuntime().maxMemory() / 6;
        private static final boolean REMEMBER_READS = BUDGET >= 256L * 1024 * 1024;
        private static final Cache<Document, byte[]> ENCODED = Caffeine.newBuilder().weakKeys().maximumWeight(BUDGET)
                .weigher((Document document, byte[] bson) -> bson.length).build();

        /** The document's size in BSON. */
        static int size(Document document) {
            return encoded(document).length;
        }

        /**
         * What the document takes on the heap, which the page cache is measured in. Its size in BSON (a task: 948
         * bytes, against 6,156 decoded) let the cache hold up to six times its share of the heap: after 15 minutes of
         * the load benchmark the store's live objects had grown to two thirds of its heap and the collector took half
         * its CPU.
         */
        @Override
        public int getMemory(Document document) {
            return heapSize(document);
        }

        /**
         * About how many bytes a decoded value takes on the heap (compressed references): objects' headers and
         * fields, a document's map, table and entries, strings in one byte per character or two.
         */
        static int heapSize(Object value) {
            if (value instanceof Document document) {
                int size = 16 + 56 + 16 + 4 * Integer.highestOneBit(Math.max(1, document.size() * 4 / 3) * 2);
                for (Map.Entry<String, Object> entry : document.entrySet()) {
                    size += 40 + heapSize(entry.getKey()) + heapSize(entry.getValue());
                }
                return size;
            }
            if (value instanceof String string) {
                return 40 + (latin1(string) ? string.length() : 2 * string.length());
            }
            if (value instanceof List<?> list) {
                int size = 24 + 16 + 4 * list.size();
                for (Object element : list) {
                    size += heapSize(element);
                }
                return size;
            }
            if (value instanceof BinData || value instanceof ObjectId) {
                return 16 + 16 + (value instanceof BinData binary ? binary.getData().length : 12);
            }
            return value == null || value instanceof Boolean ? 0 : 24; // boxed numbers, instants...
        }

        private static boolean latin1(String string) {
            for (int i = 0; i < string.length(); i++) {
                if (string.charAt(i) > 0xFF) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void write(WriteBuffer buffer, Document document) {
            byte[] bson = encoded(document);
            buffer.putVarInt(bson.length).put(bson);
        }

        @Override
        public Document read(ByteBuffer buffer) {
            byte[] bson = bytes(buffer);
            Document document = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
            if (REMEMBER_READS) {
                ENCODED.put(document, bson);
            }
            return document;
        }

        /** Writes a document that is not remembered (an index key). */
        static void writeBson(WriteBuffer buffer, Document document) {
            byte[] bson = encode(document);
            buffer.putVarInt(bson.length).put(bson);
        }

        static Document readBson(ByteBuffer buffer) {
            return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes(buffer)));
        }

        private static byte[] bytes(ByteBuffer buffer) {
            byte[] bson = new byte[DataUtils.readVarInt(buffer)];
            buffer.get(bson);
            return bson;
        }

        @Override
        public Document[] createStorage(int size) {
            return new Document[size];
        }

        private static byte[] encoded(Document document) {
            return ENCODED.get(document, BsonDocuments::encode);
        }

        static byte[] encode(Document document) {
            ByteBuf out = Unpooled.buffer();
            try {
                BsonEncoder.encodeDocument(document, out);
                byte[] bson = new byte[out.readableBytes()];
                out.readBytes(bson);
                return bson;
            }
            finally {
                out.release();
            }
        }
    }
}
