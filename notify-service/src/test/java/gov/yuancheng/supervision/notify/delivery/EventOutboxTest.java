package gov.yuancheng.supervision.notify.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import gov.yuancheng.supervision.notify.TestClock;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox keeps events written together in one entry, leased and removed as one; real store over the wire. */
class EventOutboxTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private MongoClient client;
    private MongoTemplate mongo;
    private TestClock clock;
    private EventOutbox outbox;

    @BeforeEach
    void start() {
        String database = "event_outbox_" + System.nanoTime();
        client = MongoClients.create(MongoWireTestServer.uri(database));
        mongo = new MongoTemplate(client, database);
        clock = new TestClock(Instant.parse("2027-03-01T01:00:00Z"));
        outbox = new EventOutbox(mongo, clock);
    }

    @AfterEach
    void stop() {
        client.close();
    }

    @Test
    void eventsWrittenTogetherAreOneEntryStoredOnceLeasedAndRemovedTogether() {
        List<PendingEvent> events = List.of(event("a"), event("b"), event("c"));
        outbox.add(events);
        outbox.add(events);
        clock.advance(Duration.ofMillis(1)); // oldest first: entries of the same instant come in no given order
        outbox.add(List.of(event("d")));
        assertThat(mongo.count(new Query(), OutboxEntry.class)).isEqualTo(2);

        List<OutboxEntry> claimed = outbox.claim(clock.instant(), LEASE, 1);
        assertThat(claimed).singleElement().satisfies(entry -> assertThat(entry.events()).containsExactlyElementsOf(events));
        assertThat(outbox.claim(clock.instant(), LEASE, 10)).as("the other entry only; the first is leased")
                .singleElement().satisfies(entry -> assertThat(entry.events()).extracting(PendingEvent::id)
                        .containsExactly("d"));

        outbox.published(List.of(claimed.get(0).id()));
        clock.advance(LEASE.plusSeconds(1));
        assertThat(outbox.claim(clock.instant(), LEASE, 10)).as("the unpublished entry again, after its lease")
                .singleElement().satisfies(entry -> assertThat(entry.events()).extracting(PendingEvent::id)
                        .containsExactly("d"));
    }

    @Test
    void anEventStoredAloneTheEarlierWayIsClaimedAsAnEntryOfOne() {
        mongo.getCollection("event_outbox").insertOne(new Document("_id", "earlier").append("type", EventOutbox.SENT)
                .append("subject", "task-1").append("time", Date.from(clock.instant()))
                .append("data", new Document("kind", "URGE")).append("leaseUntil", new Date(0)));

        List<OutboxEntry> claimed = outbox.claim(clock.instant(), LEASE, 10);

        assertThat(claimed).singleElement().satisfies(entry -> {
            assertThat(entry.id()).isEqualTo("earlier");
            assertThat(entry.events()).containsExactly(new PendingEvent("earlier", EventOutbox.SENT, "task-1",
                    clock.instant(), Map.of("kind", "URGE")));
        });
        outbox.published(List.of("earlier"));
        assertThat(mongo.count(new Query(), OutboxEntry.class)).isZero();
    }

    private PendingEvent event(String id) {
        return new PendingEvent(id, EventOutbox.SENT, "task-" + id, clock.instant(), Map.of("kind", "URGE", "n", id));
    }
}
