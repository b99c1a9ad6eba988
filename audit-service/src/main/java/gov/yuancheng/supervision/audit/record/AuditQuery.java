package gov.yuancheng.supervision.audit.record;

import java.time.Instant;

/** Typed search values; queries are built from these, never from raw JSON. Null means "any". */
public record AuditQuery(String subject, String type, String actorId, String unit, Instant from, Instant to) {

    public static AuditQuery task(String taskId) {
        return new AuditQuery(taskId, null, null, null, null, null);
    }
}
