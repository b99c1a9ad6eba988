package gov.yuancheng.supervision.audit.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import gov.yuancheng.supervision.audit.record.AuditLog;
import gov.yuancheng.supervision.audit.record.RecordDraft;
import gov.yuancheng.supervision.mongowire.MongoWireServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.Document;

import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Append throughput of the audit log on the local Mongo-wire store (in memory and the durable H2 file store), next
 * to the store's own rate for single inserts of documents of the same size measured in the same run: on this store
 * the ratio is what the service's code costs; real MongoDB's absolute figures differ. Run by scripts/bench-audit.sh.
 */
public final class AppendBenchmark {

    /** The listener's spring.kafka.consumer.max-poll-records in application.yml. */
    static final int POLL = 2000;

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        run("in-memory", MongoWireServer.inMemory("127.0.0.1", 0), count);
        Path dir = Files.createTempDirectory("bench-audit-h2");
        run("durable H2", MongoWireServer.durable(dir, "127.0.0.1", 0), count);
    }

    static void run(String name, MongoServer server, int count) {
        String uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
        try (MongoClient client = MongoClients.create(uri)) {
            MongoTemplate mongo = new MongoTemplate(client, "bench");
            AuditLog log = new AuditLog(mongo, Clock.systemUTC(), new SimpleMeterRegistry());
            log.afterPropertiesSet();
            for (int i = 0; i < 1000; i++) {
                log.append(draft());
            }
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                log.append(draft());
            }
            double appendRate = count / ((System.nanoTime() - started) / 1e9);
            // What the Kafka listener does with a backlog: one ordered insert per poll of max-poll-records events.
            started = System.nanoTime();
            for (int i = 0; i < count; i += POLL) {
                java.util.List<RecordDraft> batch = new java.util.ArrayList<>();
                for (int j = 0; j < POLL; j++) {
                    batch.add(draft());
                }
                log.appendAll(batch);
            }
            double batchRate = count / ((System.nanoTime() - started) / 1e9);

            var raw = client.getDatabase("bench").getCollection("raw");
            String leafSized = "x".repeat(700);
            started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                raw.insertOne(new Document("_id", (long) i).append("eventId", UUID.randomUUID().toString())
                        .append("leaf", leafSized));
            }
            double rawRate = count / ((System.nanoTime() - started) / 1e9);
            System.out.printf("%-11s append one by one %,7.0f records/s, in polls of %d %,7.0f records/s;"
                    + " the store's raw single inserts %,7.0f docs/s (%,d records each, log size %,d)%n", name,
                    appendRate, POLL, batchRate, rawRate, count, log.size());
        }
        finally {
            server.shutdownNow();
        }
    }

    static RecordDraft draft() {
        return new RecordDraft(UUID.randomUUID().toString(), "supervision.task-events",
                "gov.supervision.task.progress-reported.v1", "/supervision/task-service", UUID.randomUUID().toString(),
                Instant.now(), new RecordDraft.Actor("f7bc4af3-2222-4c43-9a8e-3f2b1d0c9e78", "李 华", "dept-fgj", "unit"),
                "10.12.0.7", "Mozilla/5.0", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                Map.of("taskId", "t", "assignmentId", "a", "unit", "dept-fgj", "version", 2, "percent", 40,
                        "before", Map.of("percent", 0), "after", Map.of("percent", 40)));
    }
}
