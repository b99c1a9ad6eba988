package gov.yuancheng.supervision.task.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.time.LocalDate;
import java.util.List;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.NewTask;
import gov.yuancheng.supervision.task.domain.RequestOrigin;
import gov.yuancheng.supervision.task.domain.Task;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** What the relay writes obeys the published contract, and so do the examples that consumers test with. */
class TaskEventContractTest {

    static final JsonMapper json = JsonMapper.builder().build();
    static final Schema schema = load();

    static Schema load() {
        try (InputStream in = TaskEventContractTest.class.getResourceAsStream("/contracts/task-events.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyEventTheRelayWritesMatchesTheSchema() {
        Actor office = new Actor("u1", "dcs-zhang", "张 明", "office-dcs", List.of("supervisor"));
        Task task = Task.register(new NewTask("推进高新区扩园", "说明", "dept-fgj", List.of("town-yuannan"),
                LocalDate.parse("2026-06-30"), "leader-liu"), office,
                new RequestOrigin("10.0.0.1", "curl/8", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                Instant.parse("2026-03-02T01:00:00Z"));
        OutboxRelay relay = new OutboxRelay(null, null, json, null, "supervision.task-events", null, 1);

        assertThat(task.outbox()).hasSize(3).allSatisfy(event -> {
            byte[] bytes = relay.record(task.id(), event).value();
            JsonNode node = json.readTree(bytes);
            assertThat(schema.validate(node)).as(node.toString()).isEmpty();
            assertThat(EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE).deserialize(bytes)
                    .getId()).isEqualTo(event.id());
        });
    }

    @Test
    void everyContractExampleMatchesTheSchemaAndEveryTypeHasOne() throws Exception {
        Path examples = Path.of(getClass().getResource("/contracts/examples").toURI());
        List<String> types = new ArrayList<>();
        try (var files = Files.list(examples)) {
            for (Path file : files.toList()) {
                JsonNode example = json.readTree(Files.readString(file));
                assertThat(schema.validate(example)).as(file.getFileName().toString()).isEmpty();
                types.add(example.get("type").asString());
            }
        }
        List<String> declared = new ArrayList<>();
        schemaJson().get("properties").get("type").get("enum").forEach(t -> declared.add(t.asString()));
        assertThat(types).containsExactlyInAnyOrderElementsOf(declared);
    }

    private static JsonNode schemaJson() throws IOException {
        try (InputStream in = TaskEventContractTest.class.getResourceAsStream("/contracts/task-events.schema.json")) {
            return json.readTree(in);
        }
    }

    @Test
    void theSchemaRejectsAnEventWithoutItsData() {
        JsonNode broken = json.readTree("""
                {"specversion":"1.0","id":"x","source":"/supervision/task-service",
                 "type":"gov.supervision.task.assigned.v1","subject":"t","time":"2026-03-02T01:00:00Z",
                 "datacontenttype":"application/json","data":{"taskId":"t"}}
                """);
        assertThat(schema.validate(broken)).isNotEmpty();
    }
}
