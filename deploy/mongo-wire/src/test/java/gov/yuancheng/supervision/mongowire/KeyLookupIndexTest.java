package gov.yuancheng.supervision.mongowire;

import java.lang.reflect.Constructor;
import java.util.List;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2UniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyLookupIndexTest {

    @Test
    void aKeyAskedForInsideAnAndIsLookedUpInsteadOfReadingEveryDocument() throws Exception {
        MVStore store = new MVStore.Builder().open();
        MVMap<KeyValue, Object> map = store.openMap("ids", new MVMap.Builder<KeyValue, Object>().keyType(
                new StoreDatabase.KeyOrder()));
        Constructor<H2UniqueIndex> unique = H2UniqueIndex.class.getDeclaredConstructor(MVMap.class, String.class,
                List.class, boolean.class);
        unique.setAccessible(true);
        Index<Object> index = new KeyLookupIndex(unique.newInstance(map, "_id_", List.of(new IndexKey("_id", true)),
                false), map, false);
        for (int i = 0; i < 10; i++) {
            index.add(new Document("_id", "task-" + i), (long) i, null);
        }
        Document or = new Document("$or", List.of(new Document("lease", null),
                new Document("lease", new Document("$lt", 5))));
        Document claim = new Document("$and", List.of(new Document("_id", "task-3").append("outbox._id",
                new Document("$exists", true)), or));
        Document nested = new Document("$and", List.of(or, new Document("$and", List.of(
                new Document("_id", new Document("$in", List.of("task-1", "task-7")))))));

        assertThat(index.canHandle(claim)).isTrue();
        assertThat(index.getPositions(claim)).containsExactly(3L);
        assertThat(index.canHandle(nested)).isTrue();
        assertThat(index.getPositions(nested)).containsExactlyInAnyOrder(1L, 7L);
        // an $or may hold documents with any key: only a scan finds them
        assertThat(index.canHandle(new Document("$or", List.of(new Document("_id", "task-1"),
                new Document("status", "OPEN"))))).isFalse();
        assertThat(index.canHandle(new Document("$and", List.of(or)))).isFalse();
        store.close();
    }
}
