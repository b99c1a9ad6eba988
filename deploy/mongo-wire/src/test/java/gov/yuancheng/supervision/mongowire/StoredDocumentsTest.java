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
 * A stored document is never changed in place: an update stores a changed copy. Answers are encoded after the
 * collection's lock is released and commits encode stored documents beside the updates; both failed when they met a
 * document being changed. Neither may deadlock with what else takes the collection's lock.
 */
class StoredDocumentsTest {

    @TempDir
    Path data;

    @Test
    void anUpdateLeavesTheDocumentsAlreadyAnsweredAsTheyWere() {
        for (StoreBackend backend : List.of(StoreBackend.inMemory(), StoreBackend.inFile(data.resolve("store.mv")))) {
            EmbeddedChannel channel = new EmbeddedChannel();
            try {
                MongoDatabase database = backend.openOrCreateDatabase("db");
                database.createCollectionOrThrowIfExists("items")
                        .addDocument(new Document("_id", 1).append("nested", new Document("lease", 1)));

                Document found = first(database.handleCommand(channel, "find",
                        new Document("find", "items").append("filter", new Document("_id", 1)), null, NoopOplog.get()));
                Document before = found.cloneDeeply();
                Document modified = (Document) database.handleCommand(channel, "findAndModify",
                        new Document("findAndModify", "items").append("query", new Document("_id", 1))
                                .append("update", new Document("$set", new Document("seen", true))
                                        .append("$inc", new Document("nested.lease", 1)))
                                .append("new", true), null, NoopOplog.get()).get("value");
                database.handleCommand(channel, "update", new Document("update", "items").append("updates",
                        List.of(new Document("q", new Document("_id", 1)).append("u",
                                new Document("$unset", new Document("nested", ""))))), null, NoopOplog.get());
                Document after = first(database.handleCommand(channel, "find",
                        new Document("find", "items").append("filter", new Document("_id", 1)), null, NoopOplog.get()));

                assertThat(found).isEqualTo(before);
                assertThat(modified).isEqualTo(new Document("_id", 1).append("nested", new Document("lease", 2))
                        .append("seen", true));
                assertThat(after).isEqualTo(new Document("_id", 1).append("seen", true));
            }
            finally {
                backend.close();
            }
        }
    }

    private static Document first(Document reply) {
        return ((List<?>) ((Document) reply.get("cursor")).get("firstBatch")).stream().map(Document.class::cast)
                .findFirst().orElseThrow();
    }

    /**
     * An index is built under its collection's lock and the database's while queries and updates take the
     * collection's: taken in two orders, they deadlocked the store (a service's index creation at its start meeting
     * the outbox relay's claims).
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
