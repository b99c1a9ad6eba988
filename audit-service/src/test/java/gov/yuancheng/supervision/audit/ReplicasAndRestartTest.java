package gov.yuancheng.supervision.audit;

import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import gov.yuancheng.supervision.audit.checkpoint.SigningKey;
import gov.yuancheng.supervision.audit.export.EvidenceExport;
import gov.yuancheng.supervision.testing.MongoWireTestServer;
import gov.yuancheng.supervision.testing.TestJwtIssuer;
import gov.yuancheng.supervision.verifier.Verifier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas append to one log at once, one of them is stopped in the middle of consumption and a third starts
 * later, while every event is also delivered twice: each event is recorded exactly once, the sequence numbers run
 * 1..n without a gap, and the whole log verifies.
 */
@EmbeddedKafka(partitions = 4, topics = {"supervision.task-events", "supervision.notification-events",
        "supervision.security-events"})
class ReplicasAndRestartTest {

    static final int EVENTS = 600;
    final JsonMapper json = new JsonMapper();

    @Test
    void twoReplicasAndARestartRecordEveryRedeliveredEventExactlyOnceWithoutGaps(EmbeddedKafkaBroker broker)
            throws Exception {
        String database = "audit_replicas_" + UUID.randomUUID().toString().substring(0, 8);
        List<ObjectNode> events = new ArrayList<>();
        ObjectNode template = (ObjectNode) json.readTree(Files.readString(
                Path.of("../task-service/src/main/resources/contracts/examples/task.progress-reported.v1.json")));
        for (int i = 0; i < EVENTS; i++) {
            ObjectNode event = template.deepCopy();
            event.put("id", UUID.randomUUID().toString());
            event.put("subject", "task-" + (i % 37));
            events.add(event);
        }

        ConfigurableApplicationContext first = start(broker, database);
        ConfigurableApplicationContext second = start(broker, database);
        MongoTemplate mongo = second.getBean(MongoTemplate.class);
        publish(broker, events.subList(0, EVENTS / 2));
        publish(broker, events.subList(0, EVENTS / 2));
        await().atMost(Duration.ofSeconds(60)).until(() -> count(mongo) >= EVENTS / 4);
        first.close();
        publish(broker, events.subList(EVENTS / 2, EVENTS));
        ConfigurableApplicationContext third = start(broker, database);
        publish(broker, events.subList(EVENTS / 2, EVENTS));
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> count(mongo) >= EVENTS);
            Thread.sleep(1000);

            List<Document> stored = mongo.getCollection("audit_log").find().into(new ArrayList<>());
            Set<String> eventIds = new HashSet<>();
            stored.forEach(d -> eventIds.add(d.getString("eventId")));
            assertThat(stored).hasSize(EVENTS);
            assertThat(eventIds).hasSize(EVENTS);
            assertThat(stored.stream().map(d -> d.get("_id", Number.class).longValue()).sorted().toList())
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, EVENTS).boxed().toList());

            ByteArrayOutputStream bundle = new ByteArrayOutputStream();
            third.getBean(EvidenceExport.class).write(EvidenceExport.Scope.log(), null, bundle);
            Verifier.Report report = new Verifier(third.getBean(SigningKey.class).publicKey(), null)
                    .verify(new ByteArrayInputStream(bundle.toByteArray()));
            assertThat(report.problems()).isEmpty();
            assertThat(report.records()).isEqualTo(EVENTS);
        }
        finally {
            second.close();
            third.close();
        }
    }

    private static long count(MongoTemplate mongo) {
        return mongo.getCollection("audit_log").countDocuments();
    }

    private ConfigurableApplicationContext start(EmbeddedKafkaBroker broker, String database) {
        TestJwtIssuer tokens = TestJwtIssuer.get();
        // Command-line arguments, because application.yml's own values outrank default properties.
        return new SpringApplicationBuilder(AuditServiceApplication.class).profiles("test").run(
                "--server.port=0",
                "--spring.mongodb.uri=" + MongoWireTestServer.uri(database),
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + tokens.issuer(),
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + tokens.jwksUri(),
                "--spring.kafka.consumer.max-poll-records=20");
    }

    private void publish(EmbeddedKafkaBroker broker, List<ObjectNode> events) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (ObjectNode event : events) {
                producer.send(new ProducerRecord<>("supervision.task-events", event.get("subject").asString(),
                        json.writeValueAsBytes(event)));
            }
            producer.flush();
        }
    }
}
