package gov.yuancheng.supervision.mongowire;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.CountOptions;
import com.mongodb.client.model.IndexOptions;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MongoWireServerTest {

    @TempDir
    Path data;

    @Test
    void answersTheHelloHandshakeThatCurrentDriversSend() {
        MongoServer server = MongoWireServer.inMemory("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(uri(server.getLocalAddress().getPort()))) {
            Document hello = client.getDatabase("admin").runCommand(new Document("hello", 1));

            assertThat(hello.getBoolean("isWritablePrimary")).isTrue();
            assertThat(hello.get("maxWireVersion")).isNotNull();
        }
        finally {
            server.shutdownNow();
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesAKilledProcess() throws Exception {
        int port = freePort();
        Process store = start(port);
        try (MongoClient client = MongoClients.create(uri(port))) {
            var items = client.getDatabase("db").getCollection("items");
            IntStream.range(0, 300).forEach(i -> items.insertOne(new Document("_id", i)));
            items.updateOne(new Document("_id", 7), new Document("$set", new Document("state", "done")));
        }
        store.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        Process restarted = start(port);
        try (MongoClient client = MongoClients.create(uri(port))) {
            var items = client.getDatabase("db").getCollection("items");
            assertThat(items.countDocuments()).isEqualTo(300);
            assertThat(items.find(new Document("_id", 7)).first()).containsEntry("state", "done");
        }
        finally {
            restarted.destroy();
            restarted.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theJournalsCommandsAreAppliedOnceAfterAKillAndNotAgainAfterAStop() throws Exception {
        int port = freePort();
        String noCheckpoint = "-Dmongowire.checkpoint-ms=600000"; // every write is in the journal only
        Process store = start(port, noCheckpoint);
        try (MongoClient client = MongoClients.create(uri(port))) {
            var items = client.getDatabase("db").getCollection("items");
            items.createIndex(new Document("unit", 1));
            items.insertMany(IntStream.range(0, 50).mapToObj(i -> new Document("_id", i).append("unit", "u" + i % 5)
                    .append("n", 0)).toList());
            IntStream.range(0, 200).forEach(i -> items.updateOne(new Document("_id", i % 50),
                    new Document("$inc", new Document("n", 1)).append("$push", new Document("log", i))));
            items.deleteOne(new Document("_id", 49));
            assertThatThrownBy(() -> items.insertOne(new Document("_id", 1))).isInstanceOf(MongoWriteException.class);
            items.findOneAndUpdate(new Document("_id", 0), new Document("$set", new Document("unit", "moved")));
            client.getDatabase("db").getCollection("gone").insertOne(new Document("_id", 1));
            client.getDatabase("db").getCollection("gone").drop();
        }
        store.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        Process again = start(port, noCheckpoint);
        try (MongoClient client = MongoClients.create(uri(port))) {
            var items = client.getDatabase("db").getCollection("items");
            assertThat(items.countDocuments()).isEqualTo(49);
            assertThat(items.find(new Document("_id", 7)).first()).containsEntry("n", 4)
                    .containsEntry("log", List.of(7, 57, 107, 157));
            assertThat(items.countDocuments(new Document("unit", "moved"))).isEqualTo(1);
            assertThat(items.countDocuments(new Document("unit", "u0"))).as("the index, rebuilt").isEqualTo(9);
            assertThat(client.getDatabase("db").listCollectionNames().into(new ArrayList<>())).containsExactly("items");
            IntStream.range(0, 49).forEach(i -> items.updateOne(new Document("_id", i),
                    new Document("$inc", new Document("n", 1))));
        }
        again.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        Process stopped = start(port);
        try (MongoClient client = MongoClients.create(uri(port))) {
            assertThat(client.getDatabase("db").getCollection("items").find(new Document("_id", 7)).first())
                    .as("the replayed commands were checkpointed, not applied twice").containsEntry("n", 5);
        }
        stopped.destroy(); // a clean stop: a checkpoint, and an empty journal
        stopped.waitFor(10, TimeUnit.SECONDS);

        Process restarted = start(port);
        try (MongoClient client = MongoClients.create(uri(port))) {
            var items = client.getDatabase("db").getCollection("items");
            assertThat(items.find(new Document("_id", 7)).first()).containsEntry("n", 5);
            assertThat(items.countDocuments()).isEqualTo(49);
        }
        finally {
            restarted.destroy();
            restarted.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void checkpointsAmidWritesNeitherLoseNorRepeatAnAcknowledgedWrite() throws Exception {
        int port = freePort();
        Process store = start(port, "-Dmongowire.checkpoint-ms=20");
        int writers = 4;
        java.util.concurrent.atomic.AtomicLong acknowledged = new java.util.concurrent.atomic.AtomicLong();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try (MongoClient client = MongoClients.create(uri(port) + "&retryWrites=false")) {
            var items = client.getDatabase("db").getCollection("items");
            items.insertOne(new Document("_id", "counter").append("n", 0));
            for (int t = 0; t < writers; t++) {
                int writer = t;
                pool.submit(() -> {
                    for (int i = 0; ; i++) {
                        items.updateOne(new Document("_id", "counter"), new Document("$inc", new Document("n", 1)));
                        items.insertOne(new Document("_id", writer + "-" + i));
                        acknowledged.incrementAndGet();
                    }
                });
            }
            Thread.sleep(3000); // many checkpoints
            store.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        Process restarted = start(port);
        try (MongoClient client = MongoClients.create(uri(port))) {
            var items = client.getDatabase("db").getCollection("items");
            long counter = items.find(new Document("_id", "counter")).first().getInteger("n");
            assertThat(acknowledged.get()).as("writes acknowledged before the kill").isGreaterThan(100);
            // each writer may have had one increment applied but not answered when the store was killed
            assertThat(counter).isBetween(acknowledged.get(), acknowledged.get() + writers);
            assertThat(items.countDocuments()).isBetween(acknowledged.get() + 1, counter + 1);
        }
        finally {
            restarted.destroy();
            restarted.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void uniqueIndexesFindEveryKeyAndRefuseDuplicatesWhateverTheKeyType() throws Exception {
        List<Object> ids = new ArrayList<>();
        for (int opening = 0; opening < 2; opening++) {
            // the second opening reads the index keys back from the file
            MongoServer server = MongoWireServer.durable(data, "127.0.0.1", 0);
            try (MongoClient client = MongoClients.create(uri(server.getLocalAddress().getPort()))) {
                var items = client.getDatabase("db").getCollection("items");
                if (opening == 0) {
                    items.createIndex(new Document("code", 1), new IndexOptions().unique(true));
                    for (int i = 0; i < 400; i++) {
                        Object id = switch (i % 6) {
                            case 0 -> i;
                            case 1 -> "任务-" + i;
                            case 2 -> new ObjectId();
                            case 3 -> new java.util.Date(1_790_000_000_000L + i);
                            case 4 -> (long) i << 40;
                            default -> new Document("unit", "dept-" + i).append("n", (long) i);
                        };
                        ids.add(id);
                        items.insertOne(new Document("_id", id).append("code", "C" + i));
                    }
                    items.insertOne(new Document("_id", "no code")); // the index's key is missing: null
                }
                for (Object id : ids) {
                    assertThat(items.find(new Document("_id", id)).first()).as("found by %s", id).isNotNull();
                }
                assertThat(items.find(new Document("code", "C121")).first()).containsEntry("_id", "任务-121");
                assertThatThrownBy(() -> items.insertOne(new Document("_id", "任务-1"))).isInstanceOf(MongoWriteException.class);
                assertThatThrownBy(() -> items.insertOne(new Document("_id", 6.0))).as("6.0 is the key 6")
                        .isInstanceOf(MongoWriteException.class);
                assertThatThrownBy(() -> items.insertOne(new Document("code", "C7"))).isInstanceOf(MongoWriteException.class);
                assertThatThrownBy(() -> items.insertOne(new Document("_id", "no code either")))
                        .as("a second document without the key").isInstanceOf(MongoWriteException.class);
                assertThat(items.countDocuments()).isEqualTo(401);
            }
            finally {
                server.shutdownNow();
            }
        }
    }

    @Test
    void aStoreWrittenTheStockWayIsReadAfterItsMapsAreRewritten() throws Exception {
        Document rich = new Document("_id", "rich").append("title", "关于推进“5080”攻坚的督办")
                .append("deadline", new java.util.Date(1_790_000_000_000L)).append("version", 3L).append("score", 92.5)
                .append("flag", true).append("none", null).append("ref", new ObjectId("65a1b2c3d4e5f60718293a4b"))
                .append("assignments", List.of(new Document("unit", "dept-fgj").append("percent", 40),
                        new Document("unit", "town-yuannan").append("history", List.of(1, 2L, "三"))))
                .append("bytes", new org.bson.types.Binary(new byte[] {1, 2, 3}));
        MongoServer stock = new MongoServer(new H2Backend(data.resolve("store.mv").toString()));
        stock.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(uri(stock.getLocalAddress().getPort()))) {
            var items = client.getDatabase("db").getCollection("items");
            items.createIndex(new Document("code", 1), new IndexOptions().unique(true));
            IntStream.range(0, 300).forEach(i -> items.insertOne(new Document("_id", "item-" + i).append("code", i)));
            items.insertOne(rich);
        }
        finally {
            stock.shutdown();
        }

        for (int opening = 0; opening < 2; opening++) {
            // the first opening rewrites the maps; the second reads them from the file in their new form
            MongoServer server = MongoWireServer.durable(data, "127.0.0.1", 0);
            String added = "new" + opening;
            try (MongoClient client = MongoClients.create(uri(server.getLocalAddress().getPort()))) {
                var items = client.getDatabase("db").getCollection("items");
                for (int i = 0; i < 300; i++) {
                    assertThat(items.find(new Document("_id", "item-" + i)).first()).containsEntry("code", i);
                }
                assertThat(items.find(new Document("_id", "rich")).first()).isEqualTo(rich);
                assertThatThrownBy(() -> items.insertOne(new Document("_id", "item-9")))
                        .isInstanceOf(MongoWriteException.class);
                assertThatThrownBy(() -> items.insertOne(new Document("_id", added).append("code", 42)))
                        .isInstanceOf(MongoWriteException.class);
                items.insertOne(new Document("_id", added).append("code", 300 + opening));
                assertThat(items.countDocuments()).isEqualTo(302 + opening);
            }
            finally {
                server.shutdown();
            }
        }
    }

    @Test
    void collectionStatisticsGiveTheSizeOfTheDocumentsAsTheyAreNow() throws Exception {
        for (int opening = 0; opening < 2; opening++) {
            MongoServer server = MongoWireServer.durable(data, "127.0.0.1", 0);
            try (MongoClient client = MongoClients.create(uri(server.getLocalAddress().getPort()))) {
                var db = client.getDatabase("db");
                var items = db.getCollection("items");
                if (opening == 0) {
                    IntStream.range(0, 50).forEach(i -> items.insertOne(new Document("_id", i).append("text", "督办" + i)));
                    items.updateMany(new Document("_id", new Document("$lt", 10)),
                            new Document("$set", new Document("text", "x".repeat(500))));
                    items.deleteMany(new Document("_id", new Document("$gte", 40)));
                }
                long expected = 0;
                for (Document item : items.find()) {
                    expected += bsonSize(item);
                }
                Document stats = db.runCommand(new Document("collStats", "items"));
                assertThat(stats.get("count", Number.class).intValue()).isEqualTo(40);
                assertThat(stats.get("size", Number.class).longValue()).as("after opening %d", opening)
                        .isEqualTo(expected).isGreaterThan(10 * 500);
            }
            finally {
                server.shutdown();
            }
        }
    }

    private static long bsonSize(Document document) {
        var out = new org.bson.io.BasicOutputBuffer();
        new org.bson.codecs.DocumentCodec().encode(new org.bson.BsonBinaryWriter(out), document,
                org.bson.codecs.EncoderContext.builder().build());
        return out.getSize();
    }

    @Test
    void updatesBesideCommitsNeitherFailNorCloseTheStore() throws Exception {
        MongoServer server = MongoWireServer.durable(data, "127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(uri(server.getLocalAddress().getPort()))) {
            var items = client.getDatabase("db").getCollection("items");
            List<Document> filler = IntStream.range(0, 3000).mapToObj(n -> new Document("filler", n)).toList();
            IntStream.range(0, 4).forEach(i -> items.insertOne(new Document("_id", i).append("log", new ArrayList<>())
                    .append("filler", filler)));
            // each update changes the stored document in place (adding or removing a field, pushing to a list) while
            // other threads' commits encode it
            var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
            List<java.util.concurrent.Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    for (int n = 0; n < 400; n++) {
                        Document field = new Document("lease-" + thread, n);
                        items.updateOne(new Document("_id", (n + thread) % 4),
                                new Document("$push", new Document("log", new Document("t", thread).append("n", n)))
                                        .append(n % 2 == 0 ? "$set" : "$unset", field));
                    }
                }));
            }
            for (var writer : writers) {
                writer.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();
            int entries = 0;
            for (Document item : items.find()) {
                entries += item.getList("log", Document.class).size();
            }
            assertThat(entries).isEqualTo(6 * 400);
        }
        finally {
            server.shutdown();
        }
        MongoServer reopened = MongoWireServer.durable(data, "127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(uri(reopened.getLocalAddress().getPort()))) {
            int entries = 0;
            for (Document item : client.getDatabase("db").getCollection("items").find()) {
                entries += item.getList("log", Document.class).size();
            }
            assertThat(entries).as("every acknowledged update is in the file").isEqualTo(6 * 400);
        }
        finally {
            reopened.shutdownNow();
        }
    }

    @Test
    void queriesThatNameTheKeyAndMoreFindWhatAScanFinds() throws Exception {
        MongoServer durable = MongoWireServer.durable(data, "127.0.0.1", 0);
        MongoServer scanning = scanning();
        try (MongoClient indexed = MongoClients.create(uri(durable.getLocalAddress().getPort()));
                MongoClient scanned = MongoClients.create(uri(scanning.getLocalAddress().getPort()))) {
            var a = indexed.getDatabase("db").getCollection("items");
            var b = scanned.getDatabase("db").getCollection("items");
            for (int i = 0; i < 300; i++) {
                Object id = switch (i % 3) {
                    case 0 -> i;
                    case 1 -> (long) i;
                    default -> "item-" + i;
                };
                Document item = new Document("_id", id).append("status", i % 4 == 0 ? "DONE" : "OPEN").append("n", i);
                a.insertOne(item);
                b.insertOne(new Document(item));
            }
            a.insertOne(new Document("_id", 7.5).append("status", "OPEN"));
            b.insertOne(new Document("_id", 7.5).append("status", "OPEN"));
            List<Document> queries = List.of(
                    new Document("_id", 9).append("status", "OPEN"),
                    new Document("_id", 9L).append("status", "DONE"),
                    new Document("_id", 12.0).append("status", "DONE"),
                    new Document("_id", "item-5").append("n", new Document("$gt", 1)),
                    new Document("_id", new Document("$in", List.of(1, 4L, "item-8", "item-9", 7.5, 999)))
                            .append("status", "OPEN"),
                    new Document("_id", new Document("$gt", 10)).append("status", "DONE"),
                    new Document("_id", new Document("$gte", 7).append("$lt", 60)),
                    new Document("_id", new Document("$lte", 298)).append("n", new Document("$gte", 290)),
                    new Document("_id", new Document("$gt", 298)),
                    new Document("_id", new Document("$gt", "item-290")),
                    new Document("_id", new Document("$lt", "item-11").append("$gt", "item-1")),
                    new Document("_id", new Document("$gt", 50).append("$lt", 20)),
                    new Document("_id", new Document("$ne", 3)).append("n", new Document("$lt", 6)),
                    new Document("_id", 3).append("$or", List.of(new Document("status", "DONE"), new Document("n", 3))),
                    new Document("$and", List.of(new Document("_id", 9).append("status", "OPEN"),
                            new Document("$or", List.of(new Document("n", new Document("$exists", false)),
                                    new Document("n", new Document("$lt", 10)))))),
                    new Document("$and", List.of(new Document("status", "OPEN"), new Document("$and",
                            List.of(new Document("_id", new Document("$in", List.of(1, 4L, "item-8", 999))))))),
                    new Document("$and", List.of(new Document("_id", new Document("$gt", 280)),
                            new Document("_id", new Document("$lt", 290)))),
                    new Document("$and", List.of(new Document("_id", 9), new Document("status", "DONE"))));
            for (Document query : queries) {
                List<Object> expected = b.find(query).map(d -> d.get("_id")).into(new ArrayList<>());
                assertThat(a.find(query).map(d -> d.get("_id")).into(new ArrayList<>())).as("%s", query.toJson())
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
            // a conditional update of many by id changes exactly the documents that still match
            Document claim = new Document("_id", new Document("$in", List.of(0, 1L, "item-2", 4, 5L)))
                    .append("status", "OPEN");
            Document set = new Document("$set", new Document("status", "CLAIMED"));
            assertThat(a.updateMany(claim, set).getModifiedCount()).isEqualTo(b.updateMany(claim, set).getModifiedCount())
                    .isEqualTo(2);
            assertThat(a.updateMany(claim, set).getModifiedCount()).isZero();
            assertThat(a.countDocuments(new Document("status", "CLAIMED"))).isEqualTo(2);
            assertThat(a.deleteMany(new Document("_id", new Document("$gte", 290)).append("status", "OPEN"))
                    .getDeletedCount()).isEqualTo(b.deleteMany(new Document("_id", new Document("$gte", 290))
                            .append("status", "OPEN")).getDeletedCount()).isPositive();
            assertThat(a.countDocuments()).isEqualTo(b.countDocuments());
        }
        finally {
            durable.shutdownNow();
            scanning.shutdownNow();
        }
    }

    @Test
    void secondaryIndexesFindCountAndSortWhatAScanDoes() throws Exception {
        MongoServer scanning = scanning();
        Random random = new Random(7);
        List<String> units = List.of("dept-fgj", "dept-gxj", "town-yuannan", "town-dongbu", "dept-zsj");
        List<String> statuses = List.of("ACTIVE", "COMPLETED", "CANCELLED");
        List<Document> queries = List.of(
                new Document("status", "ACTIVE"),
                new Document("$and", List.of(new Document(), new Document("status", "COMPLETED"))),
                new Document("status", new Document("$eq", "ACTIVE")).append("category", "livelihood"),
                new Document("assignments.unit", "dept-gxj"),
                new Document("$and", List.of(new Document("assignments.unit", "town-yuannan"),
                        new Document("deadline", new Document("$gte", 40)))),
                new Document("category", "ecology").append("title", java.util.regex.Pattern.compile("任务-1")),
                new Document("responsibleLeader", "leader-liu"),
                new Document("responsibleLeader", null),
                new Document("status", new Document("$in", List.of("ACTIVE", "CANCELLED"))),
                new Document("$or", List.of(new Document("status", "ACTIVE"), new Document("category", "ecology"))),
                new Document("status", 3),
                // several values of one index's first key: the rarest is read, every one is matched
                new Document("$and", List.of(new Document("grams", "任务"), new Document("grams", "-1"),
                        new Document("grams", "12"))),
                new Document("$and", List.of(new Document("grams", "务-"), new Document("category", "ecology"))),
                new Document("$and", List.of(new Document("grams", "-7"), new Document("grams", "no such pair"))),
                // a sparse index holds every document that has its key, null or not
                new Document("responsibleLeader", new Document("$exists", true)),
                new Document("$and", List.of(new Document("outbox._id", new Document("$exists", true)),
                        new Document("status", "ACTIVE"))),
                new Document("outbox._id", new Document("$exists", true)));
        List<Document> sorts = List.of(new Document(), new Document("deadline", 1), new Document("createdAt", -1),
                new Document("createdAt", 1), new Document("deadline", -1).append("_id", 1),
                new Document("assignments.percent", 1));
        MongoServer durable = MongoWireServer.durable(data, "127.0.0.1", 0);
        try (MongoClient indexed = MongoClients.create(uri(durable.getLocalAddress().getPort()));
                MongoClient scanned = MongoClients.create(uri(scanning.getLocalAddress().getPort()))) {
            var a = indexed.getDatabase("db").getCollection("tasks");
            var b = scanned.getDatabase("db").getCollection("tasks");
            a.insertOne(new Document("_id", "before the indexes").append("status", "ACTIVE").append("deadline", 0)
                    .append("createdAt", 0).append("assignments", List.of(new Document("unit", "dept-gxj"))));
            b.insertOne(new Document("_id", "before the indexes").append("status", "ACTIVE").append("deadline", 0)
                    .append("createdAt", 0).append("assignments", List.of(new Document("unit", "dept-gxj"))));
            for (var collection : List.of(a, b)) {
                collection.createIndex(new Document("assignments.unit", 1).append("createdAt", -1));
                collection.createIndex(new Document("status", 1).append("deadline", 1));
                collection.createIndex(new Document("category", 1).append("createdAt", -1));
                collection.createIndex(new Document("responsibleLeader", 1), new IndexOptions().sparse(true));
                collection.createIndex(new Document("grams", 1));
                collection.createIndex(new Document("outbox._id", 1), new IndexOptions().sparse(true));
                // a unit with two assignments has two entries here
                collection.createIndex(new Document("assignments.unit", 1).append("assignments.percent", 1));
            }
            for (int i = 0; i < 1500; i++) {
                List<Document> assignments = new ArrayList<>();
                for (int u = random.nextInt(3); u >= 0; u--) {
                    assignments.add(new Document("unit", units.get(random.nextInt(units.size())))
                            .append("percent", random.nextInt(100)));
                }
                String title = "任务-" + i;
                Document task = new Document("_id", "task-" + i).append("title", title)
                        .append("grams", IntStream.range(0, title.length() - 1).mapToObj(c -> title.substring(c, c + 2))
                                .distinct().toList())
                        .append("status", statuses.get(random.nextInt(3)))
                        .append("category", random.nextBoolean() ? "livelihood" : "ecology")
                        .append("deadline", random.nextInt(100)).append("createdAt", 1000 + i)
                        .append("assignments", assignments);
                if (random.nextInt(3) == 0) {
                    task.append("responsibleLeader", random.nextBoolean() ? "leader-liu" : "leader-wu");
                }
                else if (random.nextInt(8) == 0) {
                    task.append("responsibleLeader", null);
                }
                switch (i % 5) {
                    case 0 -> task.append("outbox", List.of(new Document("_id", "e" + i), new Document("_id", "f" + i)));
                    case 1 -> task.append("outbox", List.of());
                    case 2 -> task.append("outbox", List.of(new Document("type", "no id")));
                    default -> { }
                }
                a.insertOne(task);
                b.insertOne(new Document(task));
            }
            // changes that move documents in and out of the indexes' entries
            for (int i = 0; i < 1500; i += 7) {
                Document id = new Document("_id", "task-" + i);
                List<Document> changes = List.of(new Document("$set", new Document("status", "COMPLETED")),
                        new Document("$push", new Document("assignments", new Document("unit", "dept-zsj"))),
                        new Document("$unset", new Document("category", "")),
                        new Document("$set", new Document("deadline", 100 + i)),
                        // some of a document's entries go, the others stay
                        new Document("$pull", new Document("grams", "任务")),
                        new Document("$push", new Document("grams", "-1")).append("$set", new Document("status",
                                "ACTIVE")));
                Document change = changes.get(i % changes.size());
                a.updateOne(id, change);
                b.updateOne(id, change);
            }
            a.deleteMany(new Document("deadline", new Document("$lt", 5)).append("status", "CANCELLED"));
            b.deleteMany(new Document("deadline", new Document("$lt", 5)).append("status", "CANCELLED"));
            Document replaced = new Document("_id", "task-3").append("status", "ACTIVE").append("deadline", 50)
                    .append("createdAt", 5000);
            a.replaceOne(new Document("_id", "task-3"), replaced);
            b.replaceOne(new Document("_id", "task-3"), new Document(replaced));
            answerAlike(a, b, queries, sorts);
        }
        finally {
            durable.shutdownNow();
        }
        // reopened, the store builds its indexes again from what it kept
        MongoServer reopened = MongoWireServer.durable(data, "127.0.0.1", 0);
        try (MongoClient indexed = MongoClients.create(uri(reopened.getLocalAddress().getPort()));
                MongoClient scanned = MongoClients.create(uri(scanning.getLocalAddress().getPort()))) {
            answerAlike(indexed.getDatabase("db").getCollection("tasks"),
                    scanned.getDatabase("db").getCollection("tasks"), queries, sorts);
        }
        finally {
            reopened.shutdownNow();
            scanning.shutdownNow();
        }
    }

    private static void answerAlike(com.mongodb.client.MongoCollection<Document> a,
            com.mongodb.client.MongoCollection<Document> b, List<Document> queries, List<Document> sorts) {
        int matching = 0;
        for (Document query : queries) {
            long count = b.countDocuments(query);
            assertThat(a.countDocuments(query)).as("count %s", query.toJson()).isEqualTo(count);
            for (CountOptions bounds : List.of(new CountOptions().limit(1), new CountOptions().skip(3).limit(5),
                    new CountOptions().skip(7))) {
                assertThat(a.countDocuments(query, bounds)).as("count %s %s", query.toJson(), bounds)
                        .isEqualTo(b.countDocuments(query, bounds));
            }
            matching += count > 0 ? 1 : 0;
            for (Document sort : sorts) {
                for (int skip : List.of(0, 20)) {
                    List<Object> expected = b.find(query).sort(sort).skip(skip).limit(20).map(d -> d.get("_id"))
                            .into(new ArrayList<>());
                    List<Object> found = a.find(query).sort(sort).skip(skip).limit(20).map(d -> d.get("_id"))
                            .into(new ArrayList<>());
                    assertThat(found).as("%s sorted by %s", query.toJson(), sort.toJson()).doesNotHaveDuplicates();
                    if (sort.isEmpty()) {
                        // no order asked for: the same documents exactly when the query matches few
                        if (expected.size() < 20) {
                            assertThat(found).as("%s", query.toJson()).containsExactlyInAnyOrderElementsOf(expected);
                        }
                    }
                    else {
                        assertThat(sortValues(a, found, sort)).as("%s sorted by %s from %d", query.toJson(),
                                sort.toJson(), skip).isEqualTo(sortValues(b, expected, sort));
                    }
                }
            }
        }
        assertThat(matching).as("queries that match something").isEqualTo(queries.size() - 2);
    }

    /** The sort key's values of the documents, in their order (documents equal in it may come in any order). */
    private static List<Object> sortValues(com.mongodb.client.MongoCollection<Document> collection, List<Object> ids,
            Document sort) {
        String key = sort.keySet().iterator().next();
        List<Object> values = new ArrayList<>();
        for (Object id : ids) {
            Document document = collection.find(new Document("_id", id)).first();
            values.add(document == null ? "gone" : document.get(key));
        }
        return values;
    }

    private Process start(int port, String... options) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", classpath, MongoWireServer.class.getName(), String.valueOf(port),
                data.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream())).readLine();
        assertThat(line).as("store start").contains("listening on");
        return process;
    }

    private static String uri(int port) {
        return "mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=5000";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A server that reads every document for each query, to compare the store's answers with. */
    private static MongoServer scanning() {
        MongoServer server = new MongoServer(new ScanningBackend());
        server.bind("127.0.0.1", 0);
        return server;
    }
}
