package gov.yuancheng.supervision.notify.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import gov.yuancheng.supervision.notify.TestClock;
import gov.yuancheng.supervision.notify.calendar.Calendars;
import gov.yuancheng.supervision.notify.delivery.DeliveryQueue;
import gov.yuancheng.supervision.notify.delivery.Dispatcher;
import gov.yuancheng.supervision.notify.delivery.EventOutbox;
import gov.yuancheng.supervision.notify.delivery.Notification;
import gov.yuancheng.supervision.notify.delivery.Templates;
import gov.yuancheng.supervision.notify.inbox.Inbox;
import gov.yuancheng.supervision.notify.inbox.Notice;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Reminders are claimed and sent a batch at a time: one that cannot be sent must hold up no other of its batch,
 * stay claimed until its lease ends, and then go out once. Real store over the wire; the dispatcher refuses the
 * reminders of the assignments named in {@code refused}.
 */
class BatchSendTest {

    private static final ScheduleSettings SETTINGS = new ScheduleSettings(ZoneId.of("Asia/Shanghai"),
            LocalTime.of(9, 0), List.of(3, 1), 1, 1, List.of(3, 10), "office-dcs", Duration.ofSeconds(60),
            Duration.ofMinutes(1), Duration.ofMillis(500), 1, 2, 1440, 1, Duration.ofSeconds(20), 20_000);

    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private MongoClient client;
    private MongoTemplate mongo;
    private TestClock clock;
    private ReminderStore store;
    private Schedules schedules;
    private ReminderSweeper sweeper;
    private Dispatcher dispatcher;

    @BeforeEach
    void start() {
        String database = "batch_send_" + System.nanoTime();
        client = MongoClients.create(MongoWireTestServer.uri(database));
        mongo = new MongoTemplate(client, database);
        clock = new TestClock(Instant.parse("2027-03-01T01:00:00Z"));
        store = new ReminderStore(mongo, SETTINGS);
        schedules = new Schedules(mongo, store, new Calendars(mongo, clock), SETTINGS, clock);
        dispatcher = new Dispatcher(new Inbox(mongo), new DeliveryQueue(mongo), new EventOutbox(mongo, clock),
                new Templates(), clock, SETTINGS.zone(), "") {

            @Override
            public void dispatch(List<Notification> notifications) {
                if (notifications.stream().anyMatch(n -> refused.contains(n.assignmentId()))) {
                    throw new IllegalStateException("refused for the test");
                }
                super.dispatch(notifications);
            }
        };
        sweeper = new ReminderSweeper(store, schedules, dispatcher, SETTINGS, clock, new SimpleMeterRegistry(), 2);
    }

    @AfterEach
    void stop() {
        sweeper.stop();
        client.close();
    }

    @Test
    void aReminderThatCannotBeSentHoldsUpNoOtherOfItsBatchAndGoesOutOnceAfterItsLease() {
        List<Reminder> urges = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            urges.add(schedules.urge("assignment-" + i, "task-" + i, "dept-" + i, "请加快进度", clock.instant()));
        }
        refused.add("assignment-2");
        Reminder poison = urges.get(2);

        assertThat(sweeper.sweep()).isEqualTo(5);
        assertThat(store.find(poison.key()).status()).isEqualTo(Reminder.Status.PENDING);
        assertThat(urges).filteredOn(r -> r != poison)
                .allSatisfy(r -> assertThat(store.find(r.key()).status()).isEqualTo(Reminder.Status.SENT));
        assertThat(mongo.count(new Query(), Notice.class)).isEqualTo(5);

        // while its lease lasts nobody takes it again, even once it could be sent
        refused.clear();
        clock.advance(Duration.ofSeconds(10));
        assertThat(sweeper.sweep()).isZero();

        // a sweep's claims last a lease after its horizon (reminders due a little later are prepared by the same claim)
        clock.advance(SETTINGS.lease().plus(SETTINGS.prepareAhead()));
        assertThat(sweeper.sweep()).isEqualTo(1);
        assertThat(store.find(poison.key()).status()).isEqualTo(Reminder.Status.SENT);
        assertThat(mongo.count(new Query(), Notice.class)).isEqualTo(6);
        assertThat(sweeper.sweep()).isZero();
    }

    @Test
    void aBatchClaimTakesOnlyDuePendingUnleasedRemindersAndSaysWhichNeedNothingMore() {
        Reminder due = schedules.urge("assignment-a", "task-a", "dept-a", "一", clock.instant());
        Reminder later = schedules.urge("assignment-b", "task-b", "dept-b", "二", clock.instant().plusSeconds(600));
        Reminder cancelled = schedules.urge("assignment-c", "task-c", "dept-c", "三", clock.instant());
        store.cancel(List.of(cancelled.key()));
        List<String> keys = List.of(due.key(), later.key(), cancelled.key(), "no-such-reminder");

        ReminderStore.Claim first = store.claim(keys, clock.instant());
        assertThat(first.reminders()).extracting(Reminder::key).containsExactly(due.key());
        assertThat(first.finished()).containsExactlyInAnyOrder(cancelled.key(), "no-such-reminder");

        ReminderStore other = new ReminderStore(mongo, SETTINGS);
        ReminderStore.Claim refused = other.claim(keys, clock.instant());
        assertThat(refused.reminders()).as("leased by the first claim").isEmpty();
        assertThat(refused.leased()).containsExactly(entry(due.key(), clock.instant().plus(SETTINGS.lease())));
        clock.advance(SETTINGS.lease().plusSeconds(1));
        assertThat(other.claim(keys, clock.instant()).reminders()).extracting(Reminder::key)
                .containsExactly(due.key());
    }

    @Test
    void storingPlannedRemindersAgainStoresOnlyTheNewAndTheCancelledAndFilesEachOnceMore() {
        Instant due = clock.instant().plus(Duration.ofDays(2));
        Reminder fresh = reminder("fresh", due);
        Reminder pending = reminder("pending", due);
        Reminder cancelled = reminder("cancelled", due);
        assertThat(store.storeAll(List.of(pending, cancelled), clock.instant()))
                .containsExactly(pending.key(), cancelled.key());
        store.cancel(List.of(cancelled.key()));

        assertThat(store.storeAll(List.of(fresh, pending, cancelled), clock.instant()))
                .containsExactly(fresh.key(), cancelled.key());
        assertThat(store.storeAll(List.of(fresh, pending, cancelled), clock.instant())).isEmpty();

        assertThat(store.findAll(List.of(fresh.key(), pending.key(), cancelled.key())))
                .extracting(Reminder::status).containsOnly(Reminder.Status.PENDING).hasSize(3);
        long slot = ReminderStore.slotId(ReminderStore.minute(due), fresh.key(), SETTINGS.slotShards());
        org.bson.Document filed = mongo.findById(slot, org.bson.Document.class, ReminderStore.SLOTS);
        List<String> keys = filed.getList("keys", String.class);
        assertThat(keys.subList(0, 2)).containsExactly(pending.key(), cancelled.key());
        assertThat(keys.subList(2, keys.size())).as("a revived key is filed again after its first entry")
                .containsExactlyInAnyOrder(fresh.key(), cancelled.key());
    }

    @Test
    void aKeyFiledTwiceInItsSlotIsSentOnce() {
        Reminder urge = schedules.urge("assignment-twice", "task-twice", "dept-a", "请加快进度", clock.instant());
        long slot = ReminderStore.slotId(ReminderStore.minute(clock.instant()), urge.key(), SETTINGS.slotShards());
        mongo.updateFirst(new Query(org.springframework.data.mongodb.core.query.Criteria.where("_id").is(slot)),
                new org.springframework.data.mongodb.core.query.Update().push("keys", urge.key()), ReminderStore.SLOTS);

        assertThat(sweeper.sweep()).isEqualTo(1);
        assertThat(mongo.count(new Query(), Notice.class)).isEqualTo(1);
        clock.advance(SETTINGS.lease().plusSeconds(1));
        assertThat(sweeper.sweep()).isZero();
    }

    @Test
    void aReminderDueSoonIsPreparedAheadAndSentAtItsInstantByTheReplicaThatPreparedIt() {
        Instant due = clock.instant().plusSeconds(10);
        Reminder urge = schedules.urge("assignment-soon", "task-soon", "dept-a", "请加快进度", due);
        ReminderSweeper other = replica();
        try {
            assertThat(sweeper.sweep()).isZero();
            assertThat(mongo.count(new Query(), Notice.class)).as("nothing before its instant").isZero();
            assertThat(mongo.findById(urge.key(), org.bson.Document.class, "reminders").getDate("leaseUntil"))
                    .as("leased until a lease after the sweep's horizon")
                    .isEqualTo(java.util.Date.from(clock.instant().plus(SETTINGS.prepareAhead()).plus(SETTINGS.lease())));

            clock.set(due.minusMillis(1));
            assertThat(sweeper.sweep()).isZero();
            clock.set(due);
            assertThat(other.sweep()).as("prepared by the first replica").isZero();
            assertThat(sweeper.sweep()).isEqualTo(1);
            assertThat(store.find(urge.key())).satisfies(r -> {
                assertThat(r.status()).isEqualTo(Reminder.Status.SENT);
                assertThat(r.late()).isFalse();
            });
            assertThat(mongo.count(new Query(), Notice.class)).isEqualTo(1);

            clock.advance(SETTINGS.lease().plusSeconds(1));
            assertThat(sweeper.sweep()).isZero();
            assertThat(other.sweep()).isZero();
            assertThat(mongo.count(new Query(), Notice.class)).isEqualTo(1);
        }
        finally {
            other.stop();
        }
    }

    @Test
    void aReplicaThatStopsHandsItsPreparedRemindersBackAndOneWhoseAssignmentClosedMeanwhileIsNotSent() {
        Instant due = clock.instant().plusSeconds(15);
        Reminder open = schedules.urge("assignment-open", "task-open", "dept-a", "请加快进度", due);
        Reminder closing = schedules.urge("assignment-closing", "task-closing", "dept-b", "请加快进度", due);
        assertThat(sweeper.sweep()).isZero();
        mongo.save(new Assignment("assignment-closing", "task-closing", "dept-b", "LEAD", "事项",
                LocalDate.of(2027, 3, 31), 0, null, null, clock.instant(), true, null, Assignment.State.CLOSED, 2,
                List.of()));
        sweeper.stop();

        ReminderSweeper other = replica();
        try {
            clock.set(due);
            assertThat(other.sweep()).as("handed back, so sent at its instant by the other replica").isEqualTo(1);
            assertThat(store.find(open.key()).status()).isEqualTo(Reminder.Status.SENT);
            assertThat(store.find(closing.key()).status()).isEqualTo(Reminder.Status.CANCELLED);
            assertThat(mongo.find(new Query(), Notice.class)).extracting(Notice::recipientUnit).containsExactly("dept-a");
        }
        finally {
            other.stop();
        }
    }

    @Test
    void beyondThePreparedLimitRemindersAreClaimedAtTheirInstantInstead() {
        ScheduleSettings limited = new ScheduleSettings(SETTINGS.zone(), SETTINGS.sendTime(), SETTINGS.daysBefore(),
                SETTINGS.acknowledgeWithinWorkingDays(), SETTINGS.reportLeadWorkingDays(),
                SETTINGS.escalateAfterOverdueDays(), SETTINGS.officeUnit(), SETTINGS.lease(), SETTINGS.lateAfter(),
                SETTINGS.sweepInterval(), SETTINGS.slotShards(), SETTINGS.graceMinutes(),
                SETTINGS.catchUpMinutesPerSweep(), SETTINGS.milestoneLeadWorkingDays(), SETTINGS.prepareAhead(), 1);
        Instant due = clock.instant().plusSeconds(10);
        for (int i = 0; i < 150; i++) {
            schedules.urge("assignment-many-" + i, "task-many-" + i, "dept-a", "请加快进度", due);
        }
        ReminderSweeper limitedSweeper = new ReminderSweeper(new ReminderStore(mongo, limited), schedules, dispatcher,
                limited, clock, new SimpleMeterRegistry(), 2);
        try {
            assertThat(limitedSweeper.sweep()).isZero();
            Query leased = new Query(org.springframework.data.mongodb.core.query.Criteria.where("leaseUntil").exists(true));
            assertThat(mongo.count(leased, Reminder.class)).as("one batch prepared, the next one left for its instant")
                    .isEqualTo(100);

            clock.set(due);
            assertThat(limitedSweeper.sweep()).isEqualTo(150);
            assertThat(mongo.count(new Query(), Notice.class)).isEqualTo(150);
        }
        finally {
            limitedSweeper.stop();
        }
    }

    private ReminderSweeper replica() {
        return new ReminderSweeper(new ReminderStore(mongo, SETTINGS), schedules, dispatcher, SETTINGS, clock,
                new SimpleMeterRegistry(), 2);
    }

    private Reminder reminder(String assignment, Instant due) {
        return new Reminder(Reminder.key(assignment, 0, ReminderKind.DUE_TODAY, due), assignment, "task-" + assignment,
                "dept-a", "事项", ReminderKind.DUE_TODAY, 0, 0, null, null, due, Reminder.Status.PENDING, null, false,
                null, null);
    }
}
