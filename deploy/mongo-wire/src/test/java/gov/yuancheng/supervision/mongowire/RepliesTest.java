package gov.yuancheng.supervision.mongowire;

import java.nio.file.Path;
import java.util.List;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers carry copies of the stored documents, made under the collection's lock: a reply is encoded after the lock is
 * released, and an update adding or removing a field of the stored document meanwhile failed the encoding.
 */
class RepliesTest {

    @TempDir
    Path data;

    @Test
    void findAndFindAndModifyAnswerWithCopiesOfTheStoredDocuments() {
        DurableH2Backend durable = new DurableH2Backend(data.resolve("store.mv"));
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            for (MongoDatabase database : List.of(new InMemoryBackend().openOrCreateDatabase("db"),
                    durable.openOrCreateDatabase("db"))) {
                Document stored = new Document("_id", 1).append("nested", new Document("lease", 1));
                database.createCollectionOrThrowIfExists("items").addDocument(stored);

                Document found = database.handleCommand(channel, "find",
                        new Document("find", "items").append("filter", new Document("_id", 1)), null, NoopOplog.get());
                Document first = ((List<?>) ((Document) found.get("cursor")).get("firstBatch")).stream()
                        .map(Document.class::cast).findFirst().orElseThrow();
                Document modified = database.handleCommand(channel, "findAndModify", new Document("findAndModify", "items")
                        .append("query", new Document("_id", 1))
                        .append("update", new Document("$set", new Document("seen", true))).append("new", true),
                        null, NoopOplog.get()).get("value") instanceof Document value ? value : null;

                assertThat(first).isEqualTo(new Document("_id", 1).append("nested", new Document("lease", 1)))
                        .isNotSameAs(stored);
                assertThat(first.get("nested")).isNotSameAs(stored.get("nested"));
                assertThat(modified).containsEntry("seen", true).isNotSameAs(stored);
            }
        }
        finally {
            durable.close();
        }
    }
}
