package gov.yuancheng.supervision.mongowire;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
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
    void uniqueIndexesFindEveryKeyAndRefuseDuplicatesWhateverTheKeyType() throws Exception {
        MongoServer server = MongoWireServer.durable(data, "127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(uri(server.getLocalAddress().getPort()))) {
            var items = client.getDatabase("db").getCollection("items");
            items.createIndex(new Document("code", 1), new IndexOptions().unique(true));
            List<Object> ids = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                Object id = switch (i % 4) {
                    case 0 -> i;
                    case 1 -> "任务-" + i;
                    case 2 -> new ObjectId();
                    default -> new Document("unit", "dept-" + i).append("n", (long) i);
                };
                ids.add(id);
                items.insertOne(new Document("_id", id).append("code", "C" + i));
            }
            for (Object id : ids) {
                assertThat(items.find(new Document("_id", id)).first()).as("found by %s", id).isNotNull();
            }
            assertThat(items.find(new Document("code", "C121")).first()).containsEntry("_id", "任务-121");
            assertThatThrownBy(() -> items.insertOne(new Document("_id", "任务-1"))).isInstanceOf(MongoWriteException.class);
            assertThatThrownBy(() -> items.insertOne(new Document("_id", 4.0))).as("4.0 is the key 4")
                    .isInstanceOf(MongoWriteException.class);
            assertThatThrownBy(() -> items.insertOne(new Document("code", "C7"))).isInstanceOf(MongoWriteException.class);
            assertThat(items.countDocuments()).isEqualTo(400);
        }
        finally {
            server.shutdownNow();
        }
    }

    @Test
    void aStoreWrittenWithTheStockIndexesIsReadWithTheOrderedOnes() throws Exception {
        MongoServer stock = new MongoServer(new H2Backend(data.resolve("store.mv").toString()));
        stock.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(uri(stock.getLocalAddress().getPort()))) {
            var items = client.getDatabase("db").getCollection("items");
            items.createIndex(new Document("code", 1), new IndexOptions().unique(true));
            IntStream.range(0, 300).forEach(i -> items.insertOne(new Document("_id", "item-" + i).append("code", i)));
        }
        finally {
            stock.shutdown();
        }

        MongoServer server = MongoWireServer.durable(data, "127.0.0.1", 0);
        try (MongoClient client = MongoClients.create(uri(server.getLocalAddress().getPort()))) {
            var items = client.getDatabase("db").getCollection("items");
            for (int i = 0; i < 300; i++) {
                assertThat(items.find(new Document("_id", "item-" + i)).first()).containsEntry("code", i);
            }
            assertThatThrownBy(() -> items.insertOne(new Document("_id", "item-9"))).isInstanceOf(MongoWriteException.class);
            assertThatThrownBy(() -> items.insertOne(new Document("_id", "new").append("code", 42)))
                    .isInstanceOf(MongoWriteException.class);
            items.insertOne(new Document("_id", "new").append("code", 300));
            assertThat(items.countDocuments()).isEqualTo(301);
        }
        finally {
            server.shutdownNow();
        }
    }

    private Process start(int port) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classpath, MongoWireServer.class.getName(), String.valueOf(port), data.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
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
}
