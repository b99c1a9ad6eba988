package gov.yuancheng.supervision.task.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import gov.yuancheng.supervision.task.calendar.WorkingCalendar;
import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Context;
import gov.yuancheng.supervision.task.domain.LightRules;
import gov.yuancheng.supervision.task.domain.Milestone;
import gov.yuancheng.supervision.task.domain.NewTask;
import gov.yuancheng.supervision.task.domain.OutboxEvent;
import gov.yuancheng.supervision.task.domain.Priority;
import gov.yuancheng.supervision.task.domain.ReportingCycle;
import gov.yuancheng.supervision.task.domain.RequestOrigin;
import gov.yuancheng.supervision.task.domain.Source;
import gov.yuancheng.supervision.task.domain.Task;
import gov.yuancheng.supervision.task.domain.TaskEventTypes;
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

    /** Drives a task through every change there is and checks every event it queued. */
    @Test
    void everyEventTheRelayWritesMatchesTheSchema() {
        Actor office = new Actor("u1", "dcs-zhang", "张 明", "office-dcs", List.of("supervisor"));
        Actor lead = new Actor("u2", "fgj-li", "李 华", "dept-fgj", List.of("unit"));
        Actor co = new Actor("u3", "yuannan-wang", "王 芳", "town-yuannan", List.of("unit"));
        RequestOrigin origin = new RequestOrigin("10.0.0.1", "curl/8",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        Instant now = Instant.parse("2026-03-02T01:00:00Z");
        java.util.function.Function<Actor, Context> as = actor -> new Context(actor, origin, now,
                java.time.ZoneId.of("Asia/Shanghai"), WorkingCalendar.weekdaysOnly(), LightRules.DEFAULT);
        Task task = Task.register(new NewTask(null, "推进高新区扩园", "说明", new Source(Source.Kind.MEETING_DECISION, "区政府常务会议纪要"),
                "urban-economy", Priority.HIGH, "leader-liu", "dept-fgj", List.of("town-yuannan"),
                LocalDate.parse("2026-06-30"), null, new ReportingCycle(ReportingCycle.Kind.WEEKLY, 5),
                List.of(new Milestone("m1", "完成规划", LocalDate.parse("2026-04-30")))), Optional.empty(), null,
                as.apply(office));
        String leadAssignment = task.assignments().get(0).id();
        String coAssignment = task.assignments().get(1).id();
        task.acknowledge(as.apply(lead));
        task.acknowledge(as.apply(co));
        task.reportProgress("进展", 40, false, List.of("att-1"), List.of("town-yuannan"), as.apply(lead));
        task.urge(coAssignment, "请加快", as.apply(office));
        var request = task.requestExtension("审批未完", LocalDate.parse("2026-08-31"), as.apply(lead));
        task.decideExtension(leadAssignment, request.id(), true, "同意", as.apply(office));
        task.changeDeadline(coAssignment, LocalDate.parse("2026-07-31"), "与牵头单位同步", as.apply(office));
        task.requestCompletion("完成", as.apply(lead));
        task.review(leadAssignment, true, null, as.apply(office));
        task.requestCompletion("完成", as.apply(co));
        task.review(coAssignment, true, null, as.apply(office));
        task.evaluate(90, 95, "好", as.apply(office));
        Task other = Task.register(new NewTask(null, "另一事项", null, null, "livelihood", null, null, "dept-jyj",
                List.of(), LocalDate.parse("2026-06-30"), null, null, null), Optional.empty(), null, as.apply(office));
        other.suspend("等待", as.apply(office));
        other.resume("继续", as.apply(office));
        other.cancel("撤销", as.apply(office));
        OutboxRelay relay = new OutboxRelay(null, null, json, null, "supervision.task-events", null, 1, null, null);

        List<OutboxEvent> events = new ArrayList<>(task.outbox());
        events.addAll(other.outbox());
        assertThat(events).extracting(OutboxEvent::type).contains(TaskEventTypes.URGED, TaskEventTypes.EVALUATED,
                TaskEventTypes.CANCELLED, TaskEventTypes.SUSPENDED, TaskEventTypes.RESUMED, TaskEventTypes.REVIEWED);
        for (OutboxEvent event : events) {
            byte[] bytes = relay.record(event.data().get("taskId").toString(), event).value();
            JsonNode node = json.readTree(bytes);
            assertThat(schema.validate(node)).as(node.toString()).isEmpty();
            assertThat(EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE).deserialize(bytes)
                    .getId()).isEqualTo(event.id());
        }
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
