package gov.yuancheng.supervision.mongowire;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers carry copies of the stored documents, made under the collection's lock: a reply is encoded after the lock is
 * released, and an update adding or removing a field of the stored document meanwhile failed the encoding. Taking that
 * lock around a whole command must not deadlock with what else takes it.
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

    /**
     * An index is built under its collection's lock and the database's: the stock server took the database's first,
     * while a query answered under the collection's lock takes the database's for its bookkeeping. The two deadlocked
     * the store (a service's index creation at its start meeting the outbox relay's claims).
     */
    @Test
    void indexesBuiltWhileTheirCollectionIsQueriedAndChangedDeadlockNothing() throws Exception {
        MongoServer server = MongoWireServer.durable(data, "127.0.0.1", 0);
        String uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort() + "/?socketTimeoutMS=5000";
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        int rounds = 0;
        try (MongoClient client = MongoClients.create(uri)) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            for (; System.nanoTime() < end && failures.isEmpty(); rounds++) {
                MongoCollection<org.bson.Document> items = client.getDatabase("db" + rounds).getCollection("items");
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < 3; w++) {
                    String prefix = rounds + "-" + w + "-";
                    Thread writer = new Thread(() -> {
                        for (int i = 0; running.get() && failures.isEmpty(); i++) {
                            try {
                                items.insertOne(new org.bson.Document("_id", prefix + i).append("lease", 0));
                                items.findOneAndUpdate(Filters.and(Filters.eq("_id", prefix + i), Filters.lt("lease", 5)),
                                        Updates.set("lease", 10));
                                items.find(Filters.eq("lease", 10)).limit(5).into(new ArrayList<>());
                            }
                            catch (RuntimeException e) {
                                failures.add(e);
                            }
                        }
                    });
                    writer.start();
                    writers.add(writer);
                }
                try {
                    items.createIndex(Indexes.ascending("lease"));
                    items.createIndex(Indexes.ascending("unit"), new IndexOptions().sparse(true));
                    items.createIndex(Indexes.ascending("key"), new IndexOptions().sparse(true).unique(true));
                }
                catch (RuntimeException e) {
                    failures.add(e);
                }
                running.set(false);
                for (Thread writer : writers) {
                    writer.join(30_000);
                }
            }
        }
        finally {
            // a deadlocked server never finishes closing its connections: close it aside
            Thread closing = new Thread(server::shutdownNow);
            closing.setDaemon(true);
            closing.start();
            closing.join(10_000);
        }
        assertThat(failures).as("operations that the store did not answer").isEmpty();
        assertThat(rounds).isGreaterThan(1);
    }
}
