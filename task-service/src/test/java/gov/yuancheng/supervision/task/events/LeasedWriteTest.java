package gov.yuancheng.supervision.task.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import gov.yuancheng.supervision.task.calendar.WorkingCalendar;
import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Context;
import gov.yuancheng.supervision.task.domain.LightRules;
import gov.yuancheng.supervision.task.domain.NewTask;
import gov.yuancheng.supervision.task.domain.OutboxEvent;
import gov.yuancheng.supervision.task.domain.Priority;
import gov.yuancheng.supervision.task.domain.ReportingCycle;
import gov.yuancheng.supervision.task.domain.RequestOrigin;
import gov.yuancheng.supervision.task.domain.Roles;
import gov.yuancheng.supervision.task.domain.Source;
import gov.yuancheng.supervision.task.domain.Task;
import gov.yuancheng.supervision.task.store.TaskStore;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registration, and a change to a task with no event pending, take the relay's lease in their own write and hand
 * their events to the relay, which publishes them without claiming the task; a change that finds events pending leaves
 * the lease alone and is claimed after the leased events are out, even when the relay hears of it first.
 */
@SpringBootTest(properties = "supervision.outbox.enabled=false")
@EmbeddedKafka(partitions = 1, topics = "supervision.task-events")
@ActiveProfiles("test")
class LeasedWriteTest {

    static final TestJwtIssuer tokens = TestJwtIssuer.get();
    static final Actor OFFICE = new Actor("u1", "dcs-zhang", "张明", "office-dcs", List.of(Roles.SUPERVISOR));
    static final Actor FGJ = new Actor("u2", "fgj-li", "李华", "dept-fgj", List.of(Roles.UNIT));
    static final Actor YUANNAN = new Actor("u3", "yuannan-wang", "王芳", "town-yuannan", List.of(Roles.UNIT));
    static final Duration LEASE = Duration.ofSeconds(15);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MongoWireTestServer.uri("tasks_leased_write"));
        registry.add("spring.kafka.bootstrap-servers", () -> System.getProperty("spring.embedded.kafka.brokers"));
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", tokens::issuer);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", tokens::jwksUri);
    }

    @Autowired
    MongoTemplate mongo;
    @Autowired
    JsonMapper json;
    @Autowired
    EmbeddedKafkaBroker broker;

    final List<DocumentOutbox.Written> told = new ArrayList<>();

    @Test
    void aChangeWithNothingPendingIsPublishedWithoutAClaimAndOneAfterItInItsOrder() {
        TaskStore store = store(Clock.systemUTC());
        DocumentOutbox outbox = TaskStore.taskOutbox(mongo);
        OutboxRelay relay = relay(outbox);

        Task task = store.insert(Task.register(new NewTask(null, "推进低碳产业园建设", null,
                new Source(Source.Kind.PARTY_CONGRESS_REPORT, "第八次党代会报告"), "urban-economy", Priority.HIGH,
                "leader-liu", "dept-fgj", List.of("town-yuannan"), LocalDate.now().plusMonths(6), null,
                ReportingCycle.NONE, List.of()), Optional.empty(), null, at(OFFICE)));
        String id = task.id();
        DocumentOutbox.Written registered = told.remove(0);
        assertThat(registered.leased()).as("a new task has nothing pending: the insert took the lease").isNotNull();
        assertThat(registered.leased().events()).extracting(OutboxEvent::type).containsExactly(
                "gov.supervision.task.registered.v1", "gov.supervision.task.assigned.v1",
                "gov.supervision.task.assigned.v1");
        assertThat(outbox.claim(id, Instant.now(), LEASE)).as("no other relay can claim it meanwhile").isEmpty();

        // the registration's events still pending: the change leaves the lease to the relay that has them
        Task acknowledged = store.findById(id).orElseThrow();
        acknowledged.acknowledge(at(FGJ));
        store.save(acknowledged);
        DocumentOutbox.Written afterRegistration = told.remove(0);
        assertThat(afterRegistration.leased()).isNull();

        relay.relay(List.of(afterRegistration, registered)); // heard of in the wrong order
        assertThat(stored(id).getList("outbox", Object.class)).isEmpty();
        assertThat(stored(id).get(DocumentOutbox.LEASE)).isNull();

        Instant before = Instant.now();
        Task first = store.findById(id).orElseThrow();
        first.acknowledge(at(YUANNAN));
        store.save(first);
        DocumentOutbox.Written leased = told.remove(0);
        assertThat(leased.leased()).as("nothing was pending: the write took the lease").isNotNull();
        assertThat(leased.leased().events()).extracting(OutboxEvent::type)
                .containsExactly("gov.supervision.task.acknowledged.v1");
        assertThat(stored(id).getDate(DocumentOutbox.LEASE).toInstant())
                .isBetween(before.plus(LEASE).minusSeconds(1), Instant.now().plus(LEASE));

        Task second = store.findById(id).orElseThrow();
        second.urge(second.assignments().get(0).id(), "请加快进度", at(OFFICE));
        store.save(second);
        DocumentOutbox.Written after = told.remove(0);
        assertThat(after.leased()).as("the first change's event was pending").isNull();

        relay.relay(List.of(after, leased));

        assertThat(typesInKafka(id, 6)).containsExactly("gov.supervision.task.registered.v1",
                "gov.supervision.task.assigned.v1", "gov.supervision.task.assigned.v1",
                "gov.supervision.task.acknowledged.v1", "gov.supervision.task.acknowledged.v1",
                "gov.supervision.task.urged.v1");
        assertThat(stored(id).getList("outbox", Object.class)).isEmpty();
        assertThat(stored(id).get(DocumentOutbox.LEASE)).isNull();
        assertThat(stored(id).getList("titleGrams", String.class)).contains("低碳", "产业");
        assertThat(stored(id).getLong("version")).isEqualTo(3L);
    }

    @Test
    void aHandOverWhoseLeaseRanOutIsClaimedAndItsEventsAreNotPublishedAgain() {
        // the write took its lease a lease ago: the relay heard of it only now (a backlog after an outage)
        TaskStore store = store(Clock.offset(Clock.systemUTC(), LEASE.negated()));
        DocumentOutbox outbox = TaskStore.taskOutbox(mongo);
        OutboxRelay relay = relay(outbox);
        String id = store.insert(Task.register(new NewTask(null, "打造源城蔬菜区域公用品牌", null,
                new Source(Source.Kind.PARTY_CONGRESS_REPORT, "第八次党代会报告"), "rural-revitalization",
                Priority.HIGH, "leader-liu", "dept-nyj", List.of(), LocalDate.now().plusMonths(6), null,
                ReportingCycle.NONE, List.of()), Optional.empty(), null, at(OFFICE))).id();
        DocumentOutbox.Written stale = told.remove(0);
        assertThat(stale.leased()).isNotNull();

        relay.relay(); // a sweep found the lease ended and published the events
        relay.relay(List.of(stale));

        assertThat(typesInKafka(id, 2)).containsExactly("gov.supervision.task.registered.v1",
                "gov.supervision.task.assigned.v1");
        assertThat(stored(id).getList("outbox", Object.class)).isEmpty();
    }

    private TaskStore store(Clock clock) {
        return new TaskStore(mongo, event -> told.add((DocumentOutbox.Written) event), clock, LEASE, true);
    }

    private OutboxRelay relay(DocumentOutbox outbox) {
        var producer = new DefaultKafkaProducerFactory<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
        return new OutboxRelay(List.of(outbox), new KafkaTemplate<>(producer), json, Clock.systemUTC(),
                "supervision.task-events", LEASE, 100, Duration.ofHours(1), Duration.ofHours(1));
    }

    private static Context at(Actor actor) {
        return new Context(actor, RequestOrigin.NONE, Instant.now(), ZoneId.of("Asia/Shanghai"),
                WorkingCalendar.weekdaysOnly(), LightRules.DEFAULT);
    }

    private Document stored(String id) {
        return mongo.findById(id, Document.class, "tasks");
    }

    private List<String> typesInKafka(String key, int expected) {
        List<String> types = new ArrayList<>();
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, UUID.randomUUID().toString(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("supervision.task-events"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (types.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        types.add(json.readTree(r.value()).get("type").asString());
                    }
                });
            }
            consumer.poll(Duration.ofMillis(500)).forEach(r -> { // nothing published twice
                if (key.equals(r.key())) {
                    types.add(json.readTree(r.value()).get("type").asString());
                }
            });
        }
        return types;
    }
}
