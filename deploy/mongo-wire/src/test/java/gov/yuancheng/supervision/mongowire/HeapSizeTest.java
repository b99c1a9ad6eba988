package gov.yuancheng.supervision.mongowire;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.WriteBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page cache is measured in what its documents take on the heap: the estimate lies near what decoded documents
 * hold on to once the collector has run; their size in BSON, which the cache was measured in before, is a fraction
 * of it.
 */
class HeapSizeTest {

    @Test
    void aDecodedDocumentsEstimateIsCloseToWhatItHoldsOnTheHeap() {
        Document task = task();
        int bson = StoreDatabase.BsonDocuments.encode(task).length;
        WriteBuffer page = new WriteBuffer();
        StoreDatabase.BsonDocuments.writeBson(page, task); // as a page holds it
        ByteBuffer stored = page.getBuffer().flip();
        Document[] decoded = new Document[20_000];

        long before = usedAfterCollection();
        for (int i = 0; i < decoded.length; i++) {
            decoded[i] = StoreDatabase.BsonDocuments.readBson(stored.duplicate());
        }
        double held = (usedAfterCollection() - before) / (double) decoded.length;
        double estimate = StoreDatabase.BsonDocuments.heapSize(decoded[decoded.length - 1]);

        assertThat(estimate).as("estimate against %.0f bytes held, %d in BSON", held, bson)
                .isBetween(0.85 * held, 1.15 * held);
        assertThat(bson + 64.0).as("the BSON size's share").isLessThan(0.5 * held);
    }

    private static long usedAfterCollection() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** A task as task-service stores one: nested assignments, Chinese text, dates and numbers. */
    private static Document task() {
        List<Object> assignments = new ArrayList<>();
        for (String unit : List.of("dept-fgj", "dept-gxj")) {
            assignments.add(new Document("id", "a-" + unit).append("unit", unit).append("role", "LEAD")
                    .append("status", "ACKNOWLEDGED").append("deadline", "2027-06-30")
                    .append("assignedAt", Instant.parse("2026-12-01T08:00:00Z"))
                    .append("acknowledgedAt", Instant.parse("2026-12-01T09:30:00Z")).append("percent", 50)
                    .append("reports", List.of(new Document("text", "按计划推进，已完成园区道路和管网建设").append("percent", 50)
                            .append("at", Instant.parse("2026-12-02T10:00:00Z")))));
        }
        return new Document("_id", "0f0c7d2e-6b1c-4f7e-9d2a-3c4b5a697887").append("version", 4L)
                .append("title", "推进产业园区三期和低碳产业园建设").append("category", "urban-economy")
                .append("priority", "HIGH").append("status", "IN_PROGRESS").append("light", "GREEN")
                .append("source", new Document("kind", "PARTY_CONGRESS").append("reference", "区第八次党代会报告"))
                .append("deadline", "2027-06-30").append("createdAt", Instant.parse("2026-12-01T08:00:00Z"))
                .append("score", 92.5).append("suspended", false).append("assignments", assignments);
    }
}
