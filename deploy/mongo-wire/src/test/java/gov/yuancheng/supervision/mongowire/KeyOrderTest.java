package gov.yuancheng.supervision.mongowire;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyOrderTest {

    @Test
    void indexKeysAreOrderedExactlyAsTheServerOrdersValues() {
        Random random = new Random(7);
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            values.add(random.ints(random.nextInt(6), 0x20, 0x3000)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
            values.add("dept-" + random.nextInt(5)); // equal strings in different objects
            values.add(new String(Character.toChars(0x1F600 + random.nextInt(4)))); // beyond the BMP
            values.add(Instant.ofEpochSecond(random.nextInt(1_000_000), random.nextInt(3) * 1_000_000));
            values.add((long) random.nextInt(20) - 10);
            values.add(random.nextInt(20) - 10);
            values.add(random.nextInt(20) - 10.5);
        }
        values.addAll(List.of(true, false, new ObjectId(), new Document("a", 1), MinKey.getInstance(),
                MaxKey.getInstance(), Missing.getInstance()));
        values.add(null);
        ValueComparator server = ValueComparator.ascWithoutListHandling();
        for (Object a : values) {
            for (Object b : values) {
                assertThat(Integer.signum(StoreDatabase.KeyOrder.compareValues(a, b)))
                        .as("%s <> %s", a, b).isEqualTo(Integer.signum(server.compare(a, b)));
            }
        }
    }
}
