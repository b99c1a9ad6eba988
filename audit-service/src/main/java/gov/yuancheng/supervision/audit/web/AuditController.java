package gov.yuancheng.supervision.audit.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import gov.yuancheng.supervision.audit.record.AuditLog;
import gov.yuancheng.supervision.audit.record.AuditQuery;
import gov.yuancheng.supervision.audit.record.StoredRecord;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.web.PagedModel;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read-only: the trail has no write endpoint at all. Records are shown as their signed leaf says. */
@RestController
@RequestMapping("/api/audit")
@Validated
class AuditController {

    static final String ID = "[A-Za-z0-9-]+";
    static final String UNIT = "[a-z0-9-]+";
    private static final int TIMELINE_LIMIT = 5000;
    private final AuditLog auditLog;
    private final JsonMapper json;

    AuditController(AuditLog auditLog, JsonMapper json) {
        this.auditLog = auditLog;
        this.json = json;
    }

    /** Search by task ({@code task} or {@code subject}), unit, actor, action ({@code type}) and event time. */
    @GetMapping("/records")
    @PreAuthorize("hasRole('inspector')")
    PagedModel<JsonNode> search(
            @RequestParam(required = false) @Size(max = 64) @Pattern(regexp = ID) String subject,
            @RequestParam(required = false) @Size(max = 64) @Pattern(regexp = ID) String task,
            @RequestParam(required = false) @Size(max = 128) @Pattern(regexp = "[a-z0-9.-]+") String type,
            @RequestParam(required = false) @Size(max = 64) @Pattern(regexp = ID) String actorId,
            @RequestParam(required = false) @Size(max = 40) @Pattern(regexp = UNIT) String unit,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        if (subject != null && task != null && !subject.equals(task)) {
            throw new IllegalArgumentException("Give the task as either task or subject, not two different ones.");
        }
        checkPeriod(from, to);
        var query = new AuditQuery(task != null ? task : subject, type, actorId, unit, from, to);
        return new PagedModel<>(auditLog.search(query, PageRequest.of(page, size)).map(this::view));
    }

    /** Everything that happened to one task, in the order it was recorded. */
    @GetMapping("/tasks/{taskId}/timeline")
    @PreAuthorize("hasRole('inspector')")
    List<JsonNode> timeline(@PathVariable @Size(max = 64) @Pattern(regexp = ID) String taskId) {
        List<JsonNode> timeline = new ArrayList<>();
        auditLog.forEach(AuditQuery.task(taskId), Long.MAX_VALUE, r -> {
            if (timeline.size() < TIMELINE_LIMIT) {
                timeline.add(view(r));
            }
        });
        return timeline;
    }

    static void checkPeriod(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("The period's start (from) must be before its end (to).");
        }
    }

    JsonNode view(StoredRecord record) {
        ObjectNode node = (ObjectNode) json.readTree(record.leaf());
        node.put("leafHash", java.util.Base64.getEncoder().encodeToString(record.leafHash()));
        return node;
    }
}
