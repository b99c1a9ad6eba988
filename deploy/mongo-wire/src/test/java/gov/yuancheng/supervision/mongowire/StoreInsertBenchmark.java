package gov.yuancheng.supervision.mongowire;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not part of the test run (the name does not end in Test): {@code scripts/bench-store.sh} runs it. Inserts documents
 * with random ids (like notices, events and queued mails) a hundred per command into the durable store, over the
 * wire, in rounds of 100,000, and prints each round's rate and the process's CPU per document: the cost of a commit
 * that touches pages all over the collection and its {@code _id} index.
 */
class StoreInsertBenchmark {

    @Test
    void insertsWithRandomIds() throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 3);
        Path data = Files.createTempDirectory("store-bench");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var server = MongoWireServer.durable(data, "127.0.0.1", 0);
        try (var client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            var notices = client.getDatabase("bench").getCollection("notices");
            for (int round = 0; round < rounds; round++) {
                long cpu = os.getProcessCpuTime();
                long start = System.nanoTime();
                for (int command = 0; command < 1_000; command++) {
                    List<Document> documents = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        documents.add(new Document("_id", UUID.randomUUID().toString()).append("unit", "dept-" + i)
                                .append("title", "关于推进重点工作的提醒 " + command).append("body", "x".repeat(300)));
                    }
                    notices.insertMany(documents);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("BENCH round %d: 100,000 inserts (%,d stored before) in %.1f s, %,.0f documents/s,"
                        + " %.3f ms of CPU per document%n", round + 1, round * 100_000, seconds, 100_000 / seconds,
                        (os.getProcessCpuTime() - cpu) / 1e6 / 100_000);
            }
            assertThat(notices.countDocuments()).isEqualTo(rounds * 100_000L);
        }
        finally {
            server.shutdownNow();
            FileSystemUtils.deleteRecursively(data);
        }
    }
}
