package gov.yuancheng.supervision.audit.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import gov.yuancheng.supervision.verifier.CanonicalJson;

/**
 * What is known of a record before it gets its place in the log: who (actor) did what (type) to which object (the
 * task as subject, the assignment), when, from where, and the change itself ({@code data}, with its before and
 * after).
 */
public record RecordDraft(
        String eventId,
        String topic,
        String type,
        String source,
        String subject,
        Instant time,
        Actor actor,
        String clientAddress,
        String userAgent,
        String traceparent,
        Map<String, Object> data) {

    public record Actor(String id, String name, String unit, String roles) {
    }

    /**
     * The canonical leaf: the JSON object below in {@link CanonicalJson}'s canonical form (members sorted, nulls
     * left out, no whitespace), UTF-8. {@code v} is the leaf format's version, {@code prev} the base64 leaf hash of
     * record {@code seq - 1} (32 zero bytes for record 1), which chains each record to the one before it.
     * <pre>
     * { "v": 1, "seq": n, "prev": "...", "eventId": "...", "topic": "...", "type": "...", "source": "...",
     *   "subject": "...", "assignment": "...", "time": "ISO-8601 UTC", "actor": { "id", "name", "unit", "roles" },
     *   "clientAddress": "...", "userAgent": "...", "traceparent": "...", "data": { ... }, "recordedAt": "..." }
     * </pre>
     */
    public byte[] leaf(long seq, String prev, Instant recordedAt) {
        Map<String, Object> leaf = new LinkedHashMap<>();
        leaf.put("v", 1);
        leaf.put("seq", seq);
        leaf.put("prev", prev);
        leaf.put("eventId", eventId);
        leaf.put("topic", topic);
        leaf.put("type", type);
        leaf.put("source", source);
        leaf.put("subject", subject);
        leaf.put("assignment", data == null ? null : text(data.get("assignmentId")));
        leaf.put("time", time == null ? null : time.toString());
        if (actor != null) {
            Map<String, Object> who = new LinkedHashMap<>();
            who.put("id", actor.id());
            who.put("name", actor.name());
            who.put("unit", actor.unit());
            who.put("roles", actor.roles());
            leaf.put("actor", who);
        }
        leaf.put("clientAddress", clientAddress);
        leaf.put("userAgent", userAgent);
        leaf.put("traceparent", traceparent);
        leaf.put("data", data);
        leaf.put("recordedAt", recordedAt.toString());
        return CanonicalJson.encode(leaf);
    }

    /** Every unit the record concerns: the actor's and those the event names (unit, lead and co-units, units). */
    public List<String> units() {
        List<String> units = new ArrayList<>();
        if (actor != null && actor.unit() != null) {
            units.add(actor.unit());
        }
        if (data != null) {
            for (String field : List.of("unit", "leadUnit")) {
                if (data.get(field) instanceof String unit) {
                    units.add(unit);
                }
            }
            for (String field : List.of("coUnits", "units")) {
                if (data.get(field) instanceof List<?> list) {
                    list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(units::add);
                }
            }
        }
        return units.stream().distinct().toList();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
