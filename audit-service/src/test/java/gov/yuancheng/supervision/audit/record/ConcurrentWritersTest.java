package gov.yuancheng.supervision.audit.record;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.mongodb.client.MongoClients;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.verifier.Hashes;
import gov.yuancheng.supervision.verifier.Leaf;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

import static org.assertj.core.api.Assertions.assertThat;

/** Two audit logs on one store stand for two replicas: the numbers stay gap-free and the chain unforked. */
class ConcurrentWritersTest {

    final MongoTemplate mongo = new MongoTemplate(MongoClients.create(MongoWireTestServer.uri("x")),
            "writers_" + UUID.randomUUID().toString().substring(0, 8));

    AuditLog replica() {
        AuditLog log = new AuditLog(mongo, Clock.systemUTC(), new SimpleMeterRegistry());
        log.afterPropertiesSet();
        return log;
    }

    @Test
    void aReplicaWithAStaleViewTakesTheNextFreeNumberInsteadOfForking() {
        AuditLog first = replica();
        AuditLog second = replica();

        assertThat(first.append(draft("a"))).isTrue();
        assertThat(second.append(draft("b"))).as("second has not seen record 1 yet").isTrue();
        assertThat(first.appendAll(List.of(draft("c"), draft("b"), draft("d")))).as("b is already recorded").isEqualTo(2);
        assertThat(second.append(draft("a"))).as("a redelivered to the other replica").isFalse();

        assertThat(eventIdsInOrder()).containsExactly("a", "b", "c", "d");
        assertChainedWithoutGaps(4);
        assertThat(first.root(4)).isEqualTo(second.root(4));
    }

    @Test
    void aBatchDeliveredAgainIsSkippedWithOneInsertNotOnePerRecord() {
        java.util.concurrent.atomic.AtomicInteger inserts = new java.util.concurrent.atomic.AtomicInteger();
        var counted = com.mongodb.MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString(MongoWireTestServer.uri("x")))
                .addCommandListener(new com.mongodb.event.CommandListener() {
                    @Override
                    public void commandStarted(com.mongodb.event.CommandStartedEvent event) {
                        if (event.getCommandName().equals("insert")) {
                            inserts.incrementAndGet();
                        }
                    }
                }).build();
        AuditLog log = new AuditLog(new MongoTemplate(MongoClients.create(counted), mongo.getDb().getName()),
                Clock.systemUTC(), new SimpleMeterRegistry());
        log.afterPropertiesSet();
        List<RecordDraft> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            batch.add(draft("e" + i));
        }
        assertThat(log.appendAll(batch)).isEqualTo(200);

        // the store kept the batch but its answer was lost: the consumer gets the batch again, with one new event
        List<RecordDraft> again = new ArrayList<>(batch.subList(100, 200));
        again.add(draft("new"));
        inserts.set(0);
        assertThat(log.appendAll(again)).isEqualTo(1);
        assertThat(inserts.get()).as("one insert refused, one of the new event").isEqualTo(2);
        assertThat(eventIdsInOrder()).hasSize(201).endsWith("e199", "new");
        assertChainedWithoutGaps(201);
    }

    @Test
    void replicasAppendingAtOnceKeepTheNumbersGapFreeAndTheChainWhole() throws Exception {
        List<AuditLog> replicas = List.of(replica(), replica());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            AuditLog log = replicas.get(t % 2);
            int thread = t;
            done.add(threads.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    if (i % 2 == 0) {
                        log.append(draft(thread + "-" + i));
                    }
                    else {
                        log.appendAll(List.of(draft(thread + "-" + i), draft(thread + "-" + i + "b")));
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        threads.shutdown();

        assertChainedWithoutGaps(300);
        assertThat(replicas.get(0).size()).isEqualTo(300);
        assertThat(replicas.get(0).root(300)).isEqualTo(replicas.get(1).root(300));
    }

    private List<String> eventIdsInOrder() {
        return mongo.find(new Query().with(Sort.by("_id")), StoredRecord.class).stream().map(StoredRecord::eventId)
                .toList();
    }

    private void assertChainedWithoutGaps(int count) {
        List<StoredRecord> records = mongo.find(new Query().with(Sort.by("_id")), StoredRecord.class);
        assertThat(records).hasSize(count);
        String prev = Leaf.FIRST_PREV;
        for (int i = 0; i < count; i++) {
            StoredRecord record = records.get(i);
            byte[] leaf = record.leaf().getBytes(StandardCharsets.UTF_8);
            assertThat(record.seq()).isEqualTo(i + 1);
            assertThat(Leaf.read(leaf).seq()).isEqualTo(i + 1);
            assertThat(Leaf.read(leaf).prev()).as("record %d chains to %d", i + 1, i).isEqualTo(prev);
            assertThat(Hashes.leaf(leaf)).isEqualTo(record.leafHash());
            prev = Hashes.base64(record.leafHash());
        }
    }

    private static RecordDraft draft(String eventId) {
        return new RecordDraft(eventId, "supervision.task-events", "gov.supervision.task.urged.v1",
                "/supervision/task-service", "task-1", Instant.parse("2026-03-02T01:00:00Z"),
                new RecordDraft.Actor("u", "张 明", "office-dcs", "supervisor"), null, null, null,
                Map.of("message", "请按期报送"));
    }
}
