package gov.yuancheng.supervision.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import tools.jackson.databind.JsonNode;

/**
 * What one scenario of the fault suite had accepted (a 2xx answer), per task and event type, and the comparison
 * with what reached the topic {@code supervision.task-events}, the audit log and the inboxes.
 *
 * <p>A change whose answer never came (the request was given up) is "uncertain": it may or may not have been
 * applied, so it is neither expected nor counted as a duplicate.
 */
final class Ledger {

    static final String TOPIC = "supervision.task-events";
    static final String PREFIX = "gov.supervision.task.";

    final String scenario;
    final AtomicLong changes = new AtomicLong();
    private final Map<String, Map<String, AtomicInteger>> accepted = new ConcurrentHashMap<>();
    private final Map<String, Map<String, AtomicInteger>> uncertain = new ConcurrentHashMap<>();

    Ledger(String scenario) {
        this.scenario = scenario;
    }

    /** An accepted change of a task; {@code type} as in the event type, e.g. "urged". */
    void accepted(String task, String... types) {
        changes.incrementAndGet();
        for (String type : types) {
            accepted.computeIfAbsent(task, t -> new ConcurrentHashMap<>())
                    .computeIfAbsent(PREFIX + type + ".v1", t -> new AtomicInteger()).incrementAndGet();
        }
    }

    void uncertain(String task, String type) {
        uncertain.computeIfAbsent(task, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(PREFIX + type + ".v1", t -> new AtomicInteger()).incrementAndGet();
    }

    Set<String> tasks() {
        return accepted.keySet();
    }

    private static int count(Map<String, Map<String, AtomicInteger>> map, String task, String type) {
        AtomicInteger n = map.getOrDefault(task, Map.of()).get(type);
        return n == null ? 0 : n.get();
    }

    /** One event as the topic or the audit log holds it. */
    record Event(String id, String type, String subject) {
    }

    /** Everything the system holds now about task events: the topic from its start, the audit log, urge notices. */
    record Observed(List<Event> kafka, List<Event> audit, List<String> urgeNoticeTasks) {

        static Observed read(String bootstrap, String mongoUri) {
            return new Observed(readTopic(bootstrap), readAudit(mongoUri), readUrgeNotices(mongoUri));
        }

        /** The whole topic, every partition from offset 0, without a consumer group (nothing committed). */
        static List<Event> readTopic(String bootstrap) {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
            List<Event> events = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the topic could not be read to its end in 2 minutes");
                    }
                    for (var record : consumer.poll(Duration.ofSeconds(1))) {
                        try {
                            JsonNode event = TaskServiceLoad.json.readTree(record.value());
                            events.add(new Event(event.path("id").asString(), event.path("type").asString(),
                                    event.path("subject").asString()));
                        }
                        catch (RuntimeException unreadable) {
                            events.add(new Event("unreadable@" + record.partition() + ":" + record.offset(), "", ""));
                        }
                    }
                }
            }
            return events;
        }

        static List<Event> readAudit(String mongoUri) {
            List<Event> records = new ArrayList<>();
            try (var client = MongoClients.create(mongoUri)) {
                for (Document d : client.getDatabase("supervision_audit").getCollection("audit_log")
                        .find(Filters.eq("topic", TOPIC)).projection(Projections.include("eventId", "type", "subject"))) {
                    records.add(new Event(d.getString("eventId"), d.getString("type"), d.getString("subject")));
                }
            }
            return records;
        }

        static List<String> readUrgeNotices(String mongoUri) {
            List<String> tasks = new ArrayList<>();
            try (var client = MongoClients.create(mongoUri)) {
                for (Document d : client.getDatabase("supervision_notify").getCollection("notices")
                        .find(Filters.eq("kind", "URGE")).projection(Projections.include("taskId"))) {
                    tasks.add(d.getString("taskId"));
                }
            }
            return tasks;
        }
    }

    /**
     * The comparison. Lost: accepted changes with no event of their type for their task (in Kafka, in the audit
     * log), accepted urges without a notice. Twice: audit records of one event id more than once, events or
     * notices beyond what was accepted (and not explained by an uncertain request).
     */
    record Tally(String scenario, long accepted, long uncertain, long kafkaRecords, long kafkaDistinct,
            long auditRecords, long auditDistinct, long urgesAccepted, long notices, long lostInKafka,
            long lostInAudit, long kafkaEventsNotInAudit, long extraInKafka, long extraInAudit,
            long auditDuplicates, long missingNotices, long extraNotices) {

        boolean clean() {
            return lostInKafka == 0 && lostInAudit == 0 && kafkaEventsNotInAudit == 0 && extraInKafka == 0
                    && extraInAudit == 0 && auditDuplicates == 0 && missingNotices == 0 && extraNotices == 0;
        }

        long lost() {
            return lostInKafka + lostInAudit + kafkaEventsNotInAudit + missingNotices;
        }

        long twice() {
            return extraInKafka + extraInAudit + auditDuplicates + extraNotices;
        }
    }

    Tally tally(Observed observed) {
        Set<String> tasks = tasks();
        long uncertainEvents = 0;
        long urges = 0;
        for (String task : tasks) {
            for (var e : uncertain.getOrDefault(task, Map.of()).entrySet()) {
                uncertainEvents += e.getValue().get();
            }
            urges += count(accepted, task, PREFIX + "urged.v1");
        }
        long kafkaRecords = 0;
        Map<String, Set<String>> kafkaIds = new HashMap<>(); // task|type -> ids
        Set<String> kafkaAll = new HashSet<>();
        for (Event e : observed.kafka()) {
            if (tasks.contains(e.subject())) {
                kafkaRecords++;
                kafkaAll.add(e.id());
                kafkaIds.computeIfAbsent(e.subject() + "|" + e.type(), k -> new HashSet<>()).add(e.id());
            }
        }
        long auditRecords = 0;
        Map<String, Set<String>> auditIds = new HashMap<>();
        Set<String> auditAll = new HashSet<>();
        for (Event e : observed.audit()) {
            if (tasks.contains(e.subject())) {
                auditRecords++;
                auditAll.add(e.id());
                auditIds.computeIfAbsent(e.subject() + "|" + e.type(), k -> new HashSet<>()).add(e.id());
            }
        }
        Map<String, Integer> notices = new HashMap<>();
        long noticeCount = 0;
        for (String task : observed.urgeNoticeTasks()) {
            if (tasks.contains(task)) {
                notices.merge(task, 1, Integer::sum);
                noticeCount++;
            }
        }
        long lostKafka = 0;
        long lostAudit = 0;
        long extraKafka = 0;
        long extraAudit = 0;
        long missingNotices = 0;
        long extraNotices = 0;
        Set<String> keys = new HashSet<>(kafkaIds.keySet());
        keys.addAll(auditIds.keySet());
        for (String task : tasks) {
            accepted.get(task).keySet().forEach(type -> keys.add(task + "|" + type));
        }
        for (String key : keys) {
            String task = key.substring(0, key.indexOf('|'));
            String type = key.substring(key.indexOf('|') + 1);
            int expected = count(accepted, task, type);
            int maybe = count(uncertain, task, type);
            int inKafka = kafkaIds.getOrDefault(key, Set.of()).size();
            int inAudit = auditIds.getOrDefault(key, Set.of()).size();
            lostKafka += Math.max(0, expected - inKafka);
            lostAudit += Math.max(0, expected - inAudit);
            extraKafka += Math.max(0, inKafka - expected - maybe);
            extraAudit += Math.max(0, inAudit - expected - maybe);
        }
        for (String task : tasks) {
            int expected = count(accepted, task, PREFIX + "urged.v1");
            int maybe = count(uncertain, task, PREFIX + "urged.v1");
            int found = notices.getOrDefault(task, 0);
            missingNotices += Math.max(0, expected - found);
            extraNotices += Math.max(0, found - expected - maybe);
        }
        Set<String> notInAudit = new HashSet<>(kafkaAll);
        notInAudit.removeAll(auditAll);
        return new Tally(scenario, changes.get(), uncertainEvents, kafkaRecords, kafkaAll.size(), auditRecords,
                auditAll.size(), urges, noticeCount, lostKafka, lostAudit, notInAudit.size(), extraKafka, extraAudit,
                auditRecords - auditAll.size(), missingNotices, extraNotices);
    }
}
