package gov.yuancheng.supervision.mongowire;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

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
