package gov.yuancheng.supervision.notify;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import gov.yuancheng.supervision.notify.delivery.DeliveryJob;
import gov.yuancheng.supervision.notify.delivery.DeliveryWorker;
import gov.yuancheng.supervision.notify.events.NotificationRelay;
import gov.yuancheng.supervision.notify.inbox.Inbox;
import gov.yuancheng.supervision.notify.inbox.Notice;
import gov.yuancheng.supervision.notify.inbox.Recipient;
import gov.yuancheng.supervision.notify.schedule.Assignment;
import gov.yuancheng.supervision.notify.schedule.Reminder;
import gov.yuancheng.supervision.notify.schedule.ReminderKind;
import gov.yuancheng.supervision.notify.schedule.ReminderStore;
import gov.yuancheng.supervision.notify.schedule.ReminderSweeper;
import gov.yuancheng.supervision.notify.schedule.ScheduleSettings;
import gov.yuancheng.supervision.notify.schedule.Schedules;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Reminders end to end with real parts: task events from the contract examples over an in-process KRaft
 * broker, the Mongo-wire store over the wire, GreenMail as the SMTP server, a Keycloak stand-in with the
 * admin API's shapes, and a clock the test moves. This context does not sweep on its own (the test pumps
 * it), so that a clock jump plays the part of downtime; the extra instances it starts do sweep.
 * The tests run in order on one shared clock that only moves forward, each in its own weeks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "supervision.notify.scheduling.enabled=false")
@EmbeddedKafka(partitions = 1, topics = {"supervision.task-events", "supervision.notification-events",
        "supervision.task-events.notify-service.dlt", "supervision.notification-events.notify-service.dlt"})
@ActiveProfiles("test")
@Import(RemindersIntegrationTest.ClockConfig.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemindersIntegrationTest {

    static final Path EXAMPLES = Path.of("../task-service/src/main/resources/contracts/examples");
    static final String DB = "notify_reminders";
    static final String WEBHOOK_SECRET = "webhook-test-secret";
    static final TestClock clock = new TestClock(Instant.parse("2026-09-25T01:30:00Z"));
    static final TestJwtIssuer tokens = TestJwtIssuer.get();
    static final KeycloakStub keycloak = KeycloakStub.get();
    static final WebhookReceiver webhook = WebhookReceiver.get();
    static final GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    static final List<ConfigurableApplicationContext> instances = new CopyOnWriteArrayList<>();

    static {
        mail.start();
    }

    @TestConfiguration
    static class ClockConfig {
        @Bean
        @Primary
        Clock testClock() {
            return clock;
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MongoWireTestServer.uri(DB));
        registry.add("spring.kafka.bootstrap-servers", () -> System.getProperty("spring.embedded.kafka.brokers"));
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", tokens::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwksUri);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> mail.getSmtp().getPort());
        registry.add("supervision.notify.keycloak.url", keycloak::url);
        registry.add("supervision.notify.webhook.url", webhook::url);
        registry.add("supervision.notify.webhook.secret", () -> WEBHOOK_SECRET);
    }

    /** Closes what a test left open (a failed one, say), so that no later test gets its reminders. */
    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        for (ObjectNode assigned : opened) {
            Assignment a = schedules.find(assigned.get("data").get("assignmentId").asString());
            if (a != null && a.state() != Assignment.State.CLOSED) {
                cancel(assigned, clock.instant());
            }
        }
        opened.clear();
        keycloak.down(false);
        instances.forEach(ConfigurableApplicationContext::close);
        instances.clear();
    }

    @AfterAll
    static void stopInstances() {
        instances.forEach(ConfigurableApplicationContext::close);
        mail.stop();
    }

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    JsonMapper json;
    @Autowired
    Schedules schedules;
    @Autowired
    ReminderStore reminders;
    @Autowired
    ReminderSweeper sweeper;
    @Autowired
    DeliveryWorker worker;
    @Autowired
    NotificationRelay relay;
    @Autowired
    Inbox inbox;
    @Autowired
    MongoTemplate mongo;
    @Autowired
    MeterRegistry meters;
    @Autowired
    ScheduleSettings settings;

    final HttpClient http = HttpClient.newHttpClient();
    final List<ObjectNode> opened = new ArrayList<>();

    @Test
    @Order(1)
    void aTaskAssignedTwoWorkingDaysAheadIsRemindedOnTheCalendarInTheInboxAndByMailAndEscalatesToTheLeader()
            throws Exception {
        String unit = unit("dept");
        String leader = "leader-" + suffix();
        keycloak.member(unit, "clerk-" + unit, "clerk@" + unit + ".example.gov.cn");
        keycloak.member(null, leader, leader + "@example.gov.cn");
        keycloak.member("office-dcs", "dcs-zhang", "dcs-zhang@example.gov.cn");
        send(calendar2026());
        await().atMost(Duration.ofSeconds(20)).until(
                () -> mongo.exists(Query.query(Criteria.where("_id").is(2026)), "calendars"));
        // assigned Friday 25 September 2026, 10:00 in Beijing; due Monday 28, two working days later (Sunday 27 is 调休)
        String assignment = UUID.randomUUID().toString();
        ObjectNode assigned = assigned(assignment, unit, "2026-09-28", Instant.parse("2026-09-25T02:00:00Z"), leader);
        send(assigned);

        List<Reminder> planned = awaitPlanned(assignment, 6);
        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(unit, null).contains("ASSIGNED"));
        assertThat(planned).extracting(r -> r.kind() + "@" + r.dueAt()).containsExactlyInAnyOrder(
                "ACKNOWLEDGE@2026-09-27T01:00:00Z", "BEFORE_DEADLINE@2026-09-27T01:00:00Z",
                "DUE_TODAY@2026-09-28T01:00:00Z", "OVERDUE@2026-09-29T01:00:00Z",
                "ESCALATION@2026-10-08T01:00:00Z", "ESCALATION@2026-10-16T01:00:00Z");

        clock.set(Instant.parse("2026-09-27T00:59:59Z"));
        pump();
        assertThat(kinds(unit, null)).containsExactly("ASSIGNED");

        clock.set(Instant.parse("2026-09-27T01:00:00Z"));
        pump();
        assertThat(kinds(unit, null)).containsExactlyInAnyOrder("ASSIGNED", "ACKNOWLEDGE", "BEFORE_DEADLINE");
        awaitMails("clerk@" + unit + ".example.gov.cn", 2);
        assertThat(subjects("clerk@" + unit + ".example.gov.cn")).containsExactlyInAnyOrder(
                "【签收提醒】推进工业园三期开发建设", "【到期提醒】推进工业园三期开发建设（还有1个工作日到期）");

        for (String due : List.of("2026-09-28T01:00:00Z", "2026-09-29T01:00:00Z", "2026-09-30T01:00:00Z")) {
            clock.set(Instant.parse(due));
            pump();
        }
        assertThat(kinds(unit, null)).filteredOn("OVERDUE"::equals).hasSize(2);
        assertThat(kinds(null, leader)).as("no escalation before three overdue working days").isEmpty();

        clock.set(Instant.parse("2026-10-08T01:00:00Z"));
        pump();
        List<Notice> leaderNotices = notices(null, leader);
        assertThat(leaderNotices).extracting(Notice::kind).containsExactly("ESCALATION");
        assertThat(leaderNotices.get(0).title()).isEqualTo("【逾期升级】推进工业园三期开发建设（" + unit + "已逾期3个工作日）");
        assertThat(notices("office-dcs", "dcs-zhang")).extracting(Notice::kind).contains("ESCALATION");
        awaitMails(leader + "@example.gov.cn", 1);
        assertThat(kinds(unit, null)).filteredOn("OVERDUE"::equals).hasSize(3);
        assertThat(notices(unit, null)).allSatisfy(n -> assertThat(n.late()).isFalse());

        List<JsonNode> published = publishedFor(assignment, 10);
        Schema schema = notificationSchema();
        assertThat(published).allSatisfy(e -> assertThat(schema.validate(e)).as(e.toString()).isEmpty());
        assertThat(published).extracting(e -> e.get("data").get("channel").asString()).contains("INBOX", "EMAIL", "WEBHOOK");

        cancel(assigned, Instant.parse("2026-10-08T02:00:00Z"));
        await().atMost(Duration.ofSeconds(20)).until(() -> schedules.find(assignment).state() == Assignment.State.CLOSED);
        clock.set(Instant.parse("2026-10-09T01:00:00Z"));
        pump();
        assertThat(kinds(unit, null)).filteredOn("OVERDUE"::equals).as("nothing after cancellation").hasSize(3);
    }

    @Test
    @Order(2)
    void aDeadlineMovedAtTheDueSecondSendsNothingForTheOldDeadline() throws Exception {
        String unit = unit("town");
        keycloak.member(unit, "clerk-" + unit, "clerk@" + unit + ".example.gov.cn");
        clock.set(Instant.parse("2026-11-02T00:00:00Z"));
        String assignment = UUID.randomUUID().toString();
        ObjectNode assigned = assigned(assignment, unit, "2026-11-20", Instant.parse("2026-11-02T01:00:00Z"), null);
        send(assigned);
        Reminder dayBefore = awaitPlanned(assignment, 7).stream()
                .filter(r -> r.kind() == ReminderKind.BEFORE_DEADLINE && r.n() == 1).findFirst().orElseThrow();
        assertThat(dayBefore.dueAt()).isEqualTo("2026-11-19T01:00:00Z");
        acknowledge(assigned, Instant.parse("2026-11-02T02:00:00Z"));

        clock.set(dayBefore.dueAt());
        ObjectNode changed = event("task.deadline-changed.v1", assigned, dayBefore.dueAt());
        ((ObjectNode) changed.get("data")).put("version", 5).put("assignmentId", assignment).put("unit", unit);
        ((ObjectNode) changed.get("data").get("after")).put("deadline", "2026-12-18");
        send(changed);
        await().atMost(Duration.ofSeconds(20)).until(() -> schedules.find(assignment).deadlineVersion() == 5);
        pump();

        assertThat(reminders.find(dayBefore.key()).status()).isEqualTo(Reminder.Status.CANCELLED);
        assertThat(kinds(unit, null)).doesNotContain("BEFORE_DEADLINE", "DUE_TODAY");
        assertThat(reminders.findAll(schedules.find(assignment).reminderKeys()))
                .filteredOn(r -> r.status() == Reminder.Status.PENDING)
                .allSatisfy(r -> assertThat(r.deadlineVersion()).isEqualTo(5))
                .extracting(Reminder::kind, Reminder::dueAt)
                .contains(tuple(ReminderKind.BEFORE_DEADLINE,
                        Instant.parse("2026-12-17T01:00:00Z")));
        cancel(assigned, Instant.parse("2026-11-19T02:00:00Z"));
    }

    @Test
    @Order(3)
    void anUrgeIsDeliveredAtOnceAndOnlyOnceAndSignedToTheWebhook() throws Exception {
        String unit = unit("dept");
        keycloak.member(unit, "clerk-" + unit, "clerk@" + unit + ".example.gov.cn");
        clock.set(Instant.parse("2026-11-24T00:00:00Z"));
        String assignment = UUID.randomUUID().toString();
        ObjectNode assigned = assigned(assignment, unit, "2026-12-31", Instant.parse("2026-11-24T01:00:00Z"), null);
        send(assigned);
        awaitPlanned(assignment, 5);
        webhook.failNext(1);

        ObjectNode urged = event("task.urged.v1", assigned, Instant.parse("2026-11-24T03:00:00.123456789Z"));
        ((ObjectNode) urged.get("data")).put("assignmentId", assignment).put("unit", unit).put("version", 3);
        send(urged);
        send(urged);
        // the same event published again from task-service's outbox, whose store kept its time to the millisecond
        send(urged.deepCopy().put("time", "2026-11-24T03:00:00.123Z"));

        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(unit, null).contains("URGE"));
        assertThat(notices(unit, null)).filteredOn(n -> n.kind().equals("URGE")).singleElement()
                .satisfies(n -> assertThat(n.body()).contains("请加快推进并于本周五前反馈进度。"));
        pump();
        awaitMails("clerk@" + unit + ".example.gov.cn", 1);
        assertThat(urgesHooked(assigned.get("subject").asString())).as("the first attempt failed").isEmpty();

        clock.advance(Duration.ofSeconds(11));
        pump();
        String taskId = assigned.get("subject").asString();
        await().atMost(Duration.ofSeconds(10)).until(() -> urgesHooked(taskId).size() == 1);
        WebhookReceiver.Received hook = urgesHooked(taskId).get(0);
        assertThat(hook.headers().get("signature")).isEqualTo("sha256=" + hmac(hook.headers().get("timestamp"), hook.body()));
        assertThat(json.readTree(hook.body()).get("subject").asString()).isEqualTo("【催办】推进工业园三期开发建设");
        Thread.sleep(300);
        assertThat(notices(unit, null)).filteredOn(n -> n.kind().equals("URGE")).hasSize(1);
        assertThat(mailsTo("clerk@" + unit + ".example.gov.cn")).hasSize(1);
        cancel(assigned, Instant.parse("2026-11-24T04:00:00Z"));
    }

    @Test
    @Order(4)
    void twoInstancesOnOneStoreSendEachReminderOnce() throws Exception {
        clock.set(Instant.parse("2026-12-01T00:00:00Z"));
        pump();
        ConfigurableApplicationContext other = startInstance();
        List<String> units = new ArrayList<>();
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String unit = unit("town");
            units.add(unit);
            keycloak.member(unit, "clerk-" + unit, "clerk@" + unit + ".example.gov.cn");
            ObjectNode assigned = assigned(UUID.randomUUID().toString(), unit, "2026-12-10",
                    Instant.parse("2026-12-01T01:00:00Z"), null);
            events.add(assigned);
            send(assigned);
        }
        for (ObjectNode e : events) {
            awaitPlanned(e.get("data").get("assignmentId").asString(), 6);
        }
        double before = sent(meters) + sent(other.getBean(MeterRegistry.class));
        AtomicBoolean running = new AtomicBoolean(true);
        Thread competitor = new Thread(() -> {
            while (running.get()) {
                sweeper.sweep();
            }
        });
        competitor.start();
        try {
            // ACK 2 Dec, 3 and 1 working days before: 7 and 9 Dec, due 10 Dec
            for (String due : List.of("2026-12-02T01:00:00Z", "2026-12-07T01:00:00Z", "2026-12-09T01:00:00Z",
                    "2026-12-10T01:00:00Z")) {
                clock.set(Instant.parse(due));
                await().atMost(Duration.ofSeconds(20)).until(() -> units.stream()
                        .allMatch(u -> notices(u, null).stream().anyMatch(n -> due.equals(String.valueOf(n.dueAt())))));
                // time moves on only when nothing is in flight, as it does when a send takes less than its lease
                await().atMost(Duration.ofSeconds(20)).until(() -> mongo.count(new Query(), DeliveryJob.class) == 0 && mongo.count(new Query(Criteria
                        .where("status").is(Reminder.Status.PENDING).and("leaseUntil").gt(clock.instant())), Reminder.class) == 0);
            }
        }
        finally {
            running.set(false);
            competitor.join();
        }
        double after = sent(meters) + sent(other.getBean(MeterRegistry.class));
        assertThat(after - before).as("reminders sent by both instances together").isEqualTo(4 * 4);
        pump();
        for (String unit : units) {
            assertThat(kinds(unit, null)).containsExactlyInAnyOrder("ASSIGNED", "ACKNOWLEDGE", "BEFORE_DEADLINE",
                    "BEFORE_DEADLINE", "DUE_TODAY");
            awaitMails("clerk@" + unit + ".example.gov.cn", 4);
        }
        Thread.sleep(1000);
        for (String unit : units) {
            assertThat(mailsTo("clerk@" + unit + ".example.gov.cn")).as("one mail per reminder").hasSize(4);
        }
        other.close();
        instances.remove(other);
        for (ObjectNode e : events) {
            cancel(e, Instant.parse("2026-12-10T02:00:00Z"));
        }
    }

    @Test
    @Order(5)
    void aReplicaKilledMidSendAndARestartAfterDowntimeLoseNoReminderAndSendEachOnceMarkedLate() throws Exception {
        clock.set(Instant.parse("2027-01-04T00:00:00Z"));
        pump();
        String unit = unit("dept");
        keycloak.member(unit, "clerk-" + unit, "clerk@" + unit + ".example.gov.cn");
        ConfigurableApplicationContext first = startInstance();
        String assignment = UUID.randomUUID().toString();
        // 2027 has no published calendar: Monday to Friday
        ObjectNode assigned = assigned(assignment, unit, "2027-01-15", Instant.parse("2027-01-04T01:00:00Z"), null);
        send(assigned);
        List<Reminder> planned = awaitPlanned(assignment, 6);
        Reminder acknowledge = planned.stream().filter(r -> r.kind() == ReminderKind.ACKNOWLEDGE).findFirst()
                .orElseThrow();
        assertThat(acknowledge.dueAt()).isEqualTo("2027-01-05T01:00:00Z");
        // a replica claims the reminder at its due instant and dies before sending it
        ReminderStore killed = new ReminderStore(mongo, settings);
        assertThat(killed.claim(acknowledge.key(), acknowledge.dueAt())).isPresent();
        first.close();
        instances.remove(first);

        // downtime: the 5th (ack), the 12th (3 working days before) and the 14th (1 before) pass unswept
        clock.set(Instant.parse("2027-01-14T06:00:00Z"));
        ConfigurableApplicationContext restarted = startInstance();
        await().atMost(Duration.ofSeconds(30)).until(() -> kinds(unit, null).size() == 4);

        assertThat(kinds(unit, null)).containsExactlyInAnyOrder("ASSIGNED", "ACKNOWLEDGE", "BEFORE_DEADLINE",
                "BEFORE_DEADLINE");
        assertThat(notices(unit, null)).filteredOn(n -> !n.kind().equals("ASSIGNED"))
                .allSatisfy(n -> assertThat(n.late()).isTrue());
        // a reminder is counted after it is marked sent, a moment after its notice is in the inbox
        await().atMost(Duration.ofSeconds(10)).until(() -> sent(restarted.getBean(MeterRegistry.class)) >= 3);
        awaitMails("clerk@" + unit + ".example.gov.cn", 3);
        assertThat(mailsTo("clerk@" + unit + ".example.gov.cn")).allSatisfy(
                m -> assertThat(m.getContent().toString()).contains("延迟送达"));
        Thread.sleep(1500);
        assertThat(kinds(unit, null)).hasSize(4);
        assertThat(sent(restarted.getBean(MeterRegistry.class))).isEqualTo(3);
        restarted.close();
        instances.remove(restarted);
        cancel(assigned, Instant.parse("2027-01-14T07:00:00Z"));
    }

    @Test
    @Order(6)
    void whenKeycloakIsDownTheNoticeStillLandsInTheUnitInboxAndTheMailWaits() throws Exception {
        clock.set(Instant.parse("2027-02-01T00:00:00Z"));
        pump();
        String unit = unit("town");
        keycloak.member(unit, "clerk-" + unit, "clerk@" + unit + ".example.gov.cn");
        String assignment = UUID.randomUUID().toString();
        ObjectNode assigned = assigned(assignment, unit, "2027-03-31", Instant.parse("2027-02-01T01:00:00Z"), null);
        send(assigned);
        awaitPlanned(assignment, 5);
        keycloak.down(true);
        try {
            ObjectNode urged = event("task.urged.v1", assigned, Instant.parse("2027-02-01T02:00:00Z"));
            ((ObjectNode) urged.get("data")).put("assignmentId", assignment).put("unit", unit).put("version", 2);
            send(urged);
            await().atMost(Duration.ofSeconds(20)).until(() -> kinds(unit, null).contains("URGE"));
            pump();
            assertThat(mailsTo("clerk@" + unit + ".example.gov.cn")).isEmpty();
            List<JsonNode> failures = publishedFor(assignment, 1).stream()
                    .filter(e -> e.get("type").asString().endsWith("failed.v1")).toList();
            assertThat(failures).isNotEmpty().allSatisfy(f -> assertThat(f.get("data").get("final").asBoolean()).isFalse());
        }
        finally {
            keycloak.down(false);
        }
        clock.advance(Duration.ofSeconds(30));
        pump();
        awaitMails("clerk@" + unit + ".example.gov.cn", 1);
        cancel(assigned, Instant.parse("2027-02-01T03:00:00Z"));
    }

    @Test
    @Order(7)
    void theBrowserGetsNewNoticesLiveAndPreferencesRefuseBadInputAsProblemDetails() throws Exception {
        clock.set(Instant.parse("2027-03-01T00:00:00Z"));
        String unit = unit("dept");
        String token = tokens.token("clerk-" + unit, unit, "unit");
        HttpResponse<String> bad = http.send(request("/api/notifications/preferences", token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"email\":true,\"push\":true,\"digest\":false,\"quietFrom\":\"25:00\",\"quietUntil\":\"07:00\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(bad.body()).contains("quietFrom");
        HttpResponse<String> good = http.send(request("/api/notifications/preferences", token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"email\":true,\"push\":true,\"digest\":false,\"quietFrom\":\"22:00\",\"quietUntil\":\"07:00\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(json.readTree(good.body()).get("quietFrom").asString()).isEqualTo("22:00");

        List<String> lines = new CopyOnWriteArrayList<>();
        var stream = http.sendAsync(request("/api/notifications/stream", token).GET().build(),
                HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(lines::add));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.startsWith("event:ready")));
        Thread.sleep(1500);
        String assignment = UUID.randomUUID().toString();
        ObjectNode assigned = assigned(assignment, unit, "2027-04-30", Instant.parse("2027-03-01T01:00:00Z"), null);
        send(assigned);
        awaitPlanned(assignment, 5);
        ObjectNode urged = event("task.urged.v1", assigned, Instant.parse("2027-03-01T02:00:00Z"));
        ((ObjectNode) urged.get("data")).put("assignmentId", assignment).put("unit", unit).put("version", 2);
        send(urged);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            pump();
            return lines.stream().anyMatch(l -> l.startsWith("data:") && l.contains("【催办】推进工业园三期开发建设"));
        });
        assertThat(lines).anyMatch(l -> l.equals("event:notification"));
        stream.cancel(true);
        cancel(assigned, Instant.parse("2027-03-01T03:00:00Z"));
    }

    @Test
    @Order(8)
    void aMalformedTaskEventIsDeadLetteredWhileTheNextOneIsStillScheduled() throws Exception {
        clock.set(Instant.parse("2027-04-01T00:00:00Z"));
        String unit = unit("town");
        ObjectNode bad = assigned(UUID.randomUUID().toString(), unit, "2027-05-31", Instant.parse("2027-04-01T01:00:00Z"), null);
        ((ObjectNode) bad.get("data")).remove("deadline");
        double before = meters.find("supervision.events.dead.letters").counter().count();
        send(bad);
        String assignment = UUID.randomUUID().toString();
        ObjectNode good = assigned(assignment, unit, "2027-05-31", Instant.parse("2027-04-01T01:00:00Z"), null);
        send(good);
        awaitPlanned(assignment, 5);
        await().atMost(Duration.ofSeconds(10)).until(
                () -> meters.find("supervision.events.dead.letters").counter().count() == before + 1);
        cancel(good, Instant.parse("2027-04-01T02:00:00Z"));
    }

    @Test
    @Order(9)
    void aCalendarThatArrivesLaterMovesTheOpenSchedulesOntoIt() throws Exception {
        clock.set(Instant.parse("2028-09-20T00:00:00Z"));
        String unit = unit("dept");
        String assignment = UUID.randomUUID().toString();
        // due Monday 9 October 2028; 2028 has no calendar yet, so Friday 6 October is "1 working day before"
        send(assigned(assignment, unit, "2028-10-09", Instant.parse("2028-09-20T01:00:00Z"), null));
        assertThat(awaitPlanned(assignment, 6)).extracting(r -> r.kind() + "@" + r.dueAt())
                .contains("BEFORE_DEADLINE@2028-10-06T01:00:00Z", "BEFORE_DEADLINE@2028-10-04T01:00:00Z");

        ObjectNode calendar = example("calendar.published.v1");
        calendar.put("id", UUID.randomUUID().toString()).put("subject", "calendar-2028").put("time", "2028-09-21T00:00:00Z");
        ObjectNode data = (ObjectNode) calendar.get("data");
        data.put("year", 2028).put("version", 1);
        var holidays = data.putArray("holidays");
        List.of("2028-10-02", "2028-10-03", "2028-10-04", "2028-10-05", "2028-10-06").forEach(holidays::add);
        data.putArray("workdays").add("2028-10-08");
        send(calendar);

        await().atMost(Duration.ofSeconds(20)).until(() -> pending(assignment).contains("BEFORE_DEADLINE@2028-10-08T01:00:00Z"));
        assertThat(pending(assignment)).contains("BEFORE_DEADLINE@2028-09-28T01:00:00Z")
                .doesNotContain("BEFORE_DEADLINE@2028-10-06T01:00:00Z", "BEFORE_DEADLINE@2028-10-04T01:00:00Z");
    }

    @Test
    @Order(10)
    void aUserWhoChoseTheDailyDigestGetsOneMailAtDigestTimeInsteadOfSingleMails() throws Exception {
        clock.set(Instant.parse("2029-03-05T00:00:00Z"));
        String unit = unit("town");
        String clerk = "clerk-" + unit;
        keycloak.member(unit, clerk, "clerk@" + unit + ".example.gov.cn");
        HttpResponse<String> saved = http.send(request("/api/notifications/preferences", tokens.token(clerk, unit, "unit"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"email\":true,\"push\":true,\"digest\":true}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(saved.statusCode()).isEqualTo(200);
        String assignment = UUID.randomUUID().toString();
        ObjectNode assigned = assigned(assignment, unit, "2029-06-29", Instant.parse("2029-03-05T01:00:00Z"), null);
        send(assigned);
        awaitPlanned(assignment, 5);
        for (int i = 1; i <= 2; i++) {
            ObjectNode urged = event("task.urged.v1", assigned, Instant.parse("2029-03-05T0" + (i + 1) + ":00:00Z"));
            ((ObjectNode) urged.get("data")).put("assignmentId", assignment).put("unit", unit).put("version", 1 + i);
            send(urged);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(unit, null).stream().filter("URGE"::equals).count() == 2);
        clock.set(Instant.parse("2029-03-05T04:00:00Z"));
        pump();
        assertThat(mailsTo("clerk@" + unit + ".example.gov.cn")).as("held for the digest").isEmpty();

        clock.set(Instant.parse("2029-03-05T09:30:00Z")); // 17:30 in Beijing
        pump();
        awaitMails("clerk@" + unit + ".example.gov.cn", 1);
        Thread.sleep(500);
        worker.work();
        assertThat(subjects("clerk@" + unit + ".example.gov.cn")).containsExactly("【督办提醒汇总】共2条");
    }

    @Test
    @Order(11)
    void theUnitIsToldAtOnceWhetherItsExtensionWasApprovedOnceEachThroughInboxAndMail() throws Exception {
        clock.set(Instant.parse("2029-04-02T00:00:00Z"));
        String unit = unit("dept");
        keycloak.member(unit, "clerk-" + unit, "clerk@" + unit + ".example.gov.cn");
        String assignment = UUID.randomUUID().toString();
        ObjectNode assigned = assigned(assignment, unit, "2029-06-29", Instant.parse("2029-04-02T01:00:00Z"), null);
        send(assigned);
        awaitPlanned(assignment, 5);

        ObjectNode approved = decided(assigned, true, "2029-07-31", "同意延期", Instant.parse("2029-04-02T02:00:00Z"));
        ObjectNode rejected = decided(assigned, false, "2029-06-29", "理由不充分", Instant.parse("2029-04-02T03:00:00Z"));
        send(approved);
        send(approved);
        send(rejected);

        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(unit, null).containsAll(
                List.of("EXTENSION_APPROVED", "EXTENSION_REJECTED")));
        Thread.sleep(500);
        assertThat(kinds(unit, null)).containsExactlyInAnyOrder("ASSIGNED", "EXTENSION_APPROVED", "EXTENSION_REJECTED");
        Notice yes = notices(unit, null).stream().filter(n -> n.kind().equals("EXTENSION_APPROVED")).findFirst().orElseThrow();
        assertThat(yes.title()).isEqualTo("【延期已批准】推进工业园三期开发建设");
        assertThat(yes.body()).contains("办理期限由 2029年6月29日 延至 2029年7月31日").contains("审批意见：同意延期");
        assertThat(yes.taskId()).isEqualTo(assigned.get("subject").asString());
        Notice no = notices(unit, null).stream().filter(n -> n.kind().equals("EXTENSION_REJECTED")).findFirst().orElseThrow();
        assertThat(no.title()).isEqualTo("【延期未批准】推进工业园三期开发建设");
        assertThat(no.body()).contains("办理期限仍为 2029年6月29日").contains("审批意见：理由不充分");

        pump();
        awaitMails("clerk@" + unit + ".example.gov.cn", 2);
        Thread.sleep(300);
        worker.work();
        assertThat(subjects("clerk@" + unit + ".example.gov.cn")).containsExactlyInAnyOrder(
                "【延期已批准】推进工业园三期开发建设", "【延期未批准】推进工业园三期开发建设");
        assertThat(schedules.find(assignment).deadline()).as("the deadline moves with deadline-changed, not here")
                .isEqualTo(java.time.LocalDate.parse("2029-06-29"));

        List<JsonNode> published = publishedFor(assignment, 4);
        Schema schema = notificationSchema();
        assertThat(published).allSatisfy(e -> assertThat(schema.validate(e)).as(e.toString()).isEmpty());
        assertThat(published).extracting(e -> e.get("data").get("kind").asString())
                .contains("EXTENSION_APPROVED", "EXTENSION_REJECTED");
    }

    @Test
    @Order(12)
    void theLeadUnitIsRemindedOfEachMilestoneOfTheTaskItWasRegisteredWith() throws Exception {
        clock.set(Instant.parse("2029-05-07T00:00:00Z"));
        String lead = unit("dept");
        String co = unit("town");
        keycloak.member(lead, "clerk-" + lead, "clerk@" + lead + ".example.gov.cn");
        keycloak.member(co, "clerk-" + co, "clerk@" + co + ".example.gov.cn");
        String leadAssignment = UUID.randomUUID().toString();
        ObjectNode assigned = assigned(leadAssignment, lead, "2029-06-29", Instant.parse("2029-05-07T01:00:00Z"), null);
        ObjectNode registered = event("task.registered.v1", assigned, Instant.parse("2029-05-07T01:00:00Z"));
        var milestones = ((ObjectNode) registered.get("data")).putArray("milestones");
        milestones.addObject().put("id", "m1").put("title", "完成平台招标").put("date", "2029-05-10");
        milestones.addObject().put("id", "m2").put("title", "完成系统上线").put("date", "2029-06-15");
        ObjectNode coAssigned = assigned(UUID.randomUUID().toString(), co, "2029-06-29",
                Instant.parse("2029-05-07T01:00:00Z"), null);
        coAssigned.put("subject", assigned.get("subject").asString());
        ((ObjectNode) coAssigned.get("data")).put("taskId", assigned.get("subject").asString()).put("role", "CO");
        send(registered);
        send(assigned);
        send(coAssigned);
        send(registered);

        List<Reminder> planned = awaitPlanned(leadAssignment, 7);
        assertThat(planned).filteredOn(r -> r.kind() == ReminderKind.MILESTONE)
                .extracting(r -> r.dueAt() + " " + r.message())
                .containsExactlyInAnyOrder("2029-05-09T01:00:00Z 完成平台招标", "2029-06-14T01:00:00Z 完成系统上线");
        await().atMost(Duration.ofSeconds(20)).until(() -> schedules.find(coAssigned.get("data").get("assignmentId")
                .asString()) != null);
        assertThat(reminders.findAll(schedules.find(coAssigned.get("data").get("assignmentId").asString()).reminderKeys()))
                .noneMatch(r -> r.kind() == ReminderKind.MILESTONE);

        clock.set(Instant.parse("2029-05-09T01:00:00Z"));
        pump();
        assertThat(notices(lead, null)).filteredOn(n -> n.kind().equals("MILESTONE")).singleElement()
                .satisfies(n -> {
                    assertThat(n.title()).isEqualTo("【节点提醒】推进工业园三期开发建设（完成平台招标）");
                    assertThat(n.body()).contains("应于2029年5月10日完成");
                });
        assertThat(kinds(co, null)).doesNotContain("MILESTONE");
        // the acknowledge reminder of the day before went out in the same sweep
        awaitMails("clerk@" + lead + ".example.gov.cn", 2);
        assertThat(subjects("clerk@" + lead + ".example.gov.cn")).containsExactlyInAnyOrder(
                "【签收提醒】推进工业园三期开发建设", "【节点提醒】推进工业园三期开发建设（完成平台招标）");
        assertThat(subjects("clerk@" + co + ".example.gov.cn")).noneMatch(subject -> subject.startsWith("【节点提醒】"));
    }

    // ---- helpers

    private List<String> pending(String assignment) {
        return reminders.findAll(schedules.find(assignment).reminderKeys()).stream()
                .filter(r -> r.status() == Reminder.Status.PENDING).map(r -> r.kind() + "@" + r.dueAt()).toList();
    }

    private ConfigurableApplicationContext startInstance() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(NotifyServiceApplication.class,
                ClockConfig.class).profiles("test").run(
                "--server.port=0",
                "--spring.mongodb.uri=" + MongoWireTestServer.uri(DB),
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + tokens.issuer(),
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + tokens.jwksUri(),
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + mail.getSmtp().getPort(),
                "--supervision.notify.keycloak.url=" + keycloak.url(),
                "--supervision.notify.webhook.url=" + webhook.url(),
                "--supervision.notify.webhook.secret=" + WEBHOOK_SECRET,
                "--supervision.notify.schedule.sweep-interval=100ms",
                "--supervision.notify.delivery.poll-interval=100ms",
                "--spring.main.allow-bean-definition-overriding=true");
        instances.add(context);
        return context;
    }

    private void pump() {
        for (int i = 0; i < 5; i++) {
            sweeper.sweep();
            worker.work();
            relay.relay();
        }
    }

    private List<WebhookReceiver.Received> urgesHooked(String taskId) {
        return webhook.received().stream().filter(r -> {
            JsonNode body = json.readTree(r.body());
            return "URGE".equals(body.get("kind").asString()) && taskId.equals(body.get("taskId").asString());
        }).toList();
    }

    private static double sent(MeterRegistry registry) {
        return registry.find("supervision.reminders.sent").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private List<Reminder> awaitPlanned(String assignment, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Assignment a = schedules.find(assignment);
            return a != null && a.reminderKeys().size() >= count;
        });
        return reminders.findAll(schedules.find(assignment).reminderKeys());
    }

    private List<Notice> notices(String unit, String user) {
        String username = user == null ? "nobody-" + unit : user;
        return inbox.list(new Recipient(username, unit), PageRequest.of(0, 200)).getContent();
    }

    private List<String> kinds(String unit, String user) {
        return notices(unit, user).stream().filter(n -> unit == null || unit.equals(n.recipientUnit())
                || user != null && user.equals(n.recipientUser())).map(Notice::kind).toList();
    }

    private static List<MimeMessage> mailsTo(String address) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(address));
            }
            catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private static List<String> subjects(String address) {
        return mailsTo(address).stream().map(m -> {
            try {
                return m.getSubject();
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private void awaitMails(String address, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            worker.work();
            return mailsTo(address).size() >= count;
        });
    }

    private List<JsonNode> publishedFor(String assignment, int atLeast) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<JsonNode> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("supervision.notification-events"));
            long end = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < end && found.size() < atLeast) {
                relay.relay();
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = json.readTree(record.value());
                    if (assignment.equals(event.get("data").path("assignmentId").asString(""))) {
                        found.add(event);
                    }
                }
            }
        }
        assertThat(found).hasSizeGreaterThanOrEqualTo(atLeast);
        return found;
    }

    private static Schema notificationSchema() throws Exception {
        try (InputStream in = RemindersIntegrationTest.class.getResourceAsStream("/contracts/notification-events.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    private static String hmac(String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private ObjectNode calendar2026() throws Exception {
        ObjectNode event = example("calendar.published.v1");
        event.put("id", UUID.randomUUID().toString());
        ObjectNode data = (ObjectNode) event.get("data");
        var holidays = data.putArray("holidays");
        List.of("2026-01-01", "2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07").forEach(holidays::add);
        var workdays = data.putArray("workdays");
        List.of("2026-09-27", "2026-10-10").forEach(workdays::add);
        return event;
    }

    private ObjectNode assigned(String assignment, String unit, String deadline, Instant at, String leader) throws Exception {
        ObjectNode event = example("task.assigned.v1");
        String taskId = UUID.randomUUID().toString();
        event.put("id", UUID.randomUUID().toString());
        event.put("subject", taskId);
        event.put("time", at.toString());
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("taskId", taskId).put("assignmentId", assignment).put("unit", unit).put("deadline", deadline);
        data.put("responsibleLeader", leader == null ? "leader-liu" : leader);
        data.putObject("reportingCycle").put("kind", "NONE");
        opened.add(event);
        return event;
    }

    private ObjectNode event(String name, ObjectNode assigned, Instant at) throws Exception {
        ObjectNode event = example(name);
        event.put("id", UUID.randomUUID().toString());
        event.put("subject", assigned.get("subject").asString());
        event.put("time", at.toString());
        ((ObjectNode) event.get("data")).put("taskId", assigned.get("subject").asString());
        return event;
    }

    private void acknowledge(ObjectNode assigned, Instant at) throws Exception {
        ObjectNode event = event("task.acknowledged.v1", assigned, at);
        ((ObjectNode) event.get("data")).put("assignmentId", assigned.get("data").get("assignmentId").asString())
                .put("unit", assigned.get("data").get("unit").asString()).put("version", 1);
        send(event);
        await().atMost(Duration.ofSeconds(20)).until(
                () -> schedules.find(assigned.get("data").get("assignmentId").asString()).acknowledged());
    }

    private ObjectNode decided(ObjectNode assigned, boolean approved, String deadline, String reason, Instant at)
            throws Exception {
        ObjectNode event = event("task.extension-decided.v1", assigned, at);
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("assignmentId", assigned.get("data").get("assignmentId").asString())
                .put("unit", assigned.get("data").get("unit").asString()).put("version", approved ? 2 : 4)
                .put("requestId", UUID.randomUUID().toString()).put("approved", approved).put("reason", reason);
        data.putObject("before").put("deadline", assigned.get("data").get("deadline").asString());
        data.putObject("after").put("deadline", deadline);
        return event;
    }

    private void cancel(ObjectNode assigned, Instant at) throws Exception {
        ObjectNode event = event("task.cancelled.v1", assigned, at);
        ((ObjectNode) event.get("data")).put("version", 99);
        send(event);
        String assignment = assigned.get("data").get("assignmentId").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> schedules.find(assignment).state() == Assignment.State.CLOSED);
    }

    private ObjectNode example(String name) throws Exception {
        return (ObjectNode) json.readTree(Files.readString(EXAMPLES.resolve(name + ".json")));
    }

    private void send(ObjectNode event) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("supervision.task-events", event.get("subject").asString(),
                    json.writeValueAsBytes(event))).get();
        }
    }

    private HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization",
                "Bearer " + token);
    }

    private static String unit(String prefix) {
        return prefix + "-" + suffix();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
