package gov.yuancheng.supervision.audit.record;

/** Typed search values; queries are built from these, never from raw JSON. */
public record AuditQuery(String subject, String type, String actorId, String unit) {
}
