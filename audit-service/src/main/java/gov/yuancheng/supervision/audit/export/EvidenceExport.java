package gov.yuancheng.supervision.audit.export;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import gov.yuancheng.supervision.audit.checkpoint.Checkpoints;
import gov.yuancheng.supervision.audit.checkpoint.SigningKey;
import gov.yuancheng.supervision.audit.record.AuditLog;
import gov.yuancheng.supervision.audit.record.AuditQuery;
import gov.yuancheng.supervision.verifier.BundleWriter;
import gov.yuancheng.supervision.verifier.Checkpoint;
import gov.yuancheng.supervision.verifier.SignedNote;

import org.springframework.stereotype.Component;

/**
 * Evidence bundles (format in {@link BundleWriter}) for one task, one unit and period, or the whole log. A
 * checkpoint is signed first if records were appended since the last, so the bundle covers everything recorded
 * until the request. Records are read from the store as they stand, so a record changed there shows in the bundle
 * and the verifier names it.
 */
@Component
public class EvidenceExport {

    private final AuditLog auditLog;
    private final Checkpoints checkpoints;
    private final SigningKey key;

    public EvidenceExport(AuditLog auditLog, Checkpoints checkpoints, SigningKey key) {
        this.auditLog = auditLog;
        this.checkpoints = checkpoints;
        this.key = key;
    }

    /** What to export: {@code task}, or {@code unit} with a period, or the whole {@code log}. */
    public record Scope(String kind, String task, String unit, Instant from, Instant to) {

        public static Scope task(String taskId) {
            return new Scope("task", taskId, null, null, null);
        }

        public static Scope unit(String unit, Instant from, Instant to) {
            return new Scope("unit", null, unit, from, to);
        }

        public static Scope log() {
            return new Scope("log", null, null, null, null);
        }

        AuditQuery query() {
            return new AuditQuery(task, null, null, unit, from, to);
        }
    }

    /** The empty tree is a prefix of every tree; its proof is empty. */
    private List<byte[]> consistency(String earlierNote, long size) {
        long earlier = Checkpoint.parse(SignedNote.parse(earlierNote).text()).size();
        return earlier == 0 ? List.of() : auditLog.consistencyProof(earlier, size);
    }

    /**
     * Writes the bundle; {@code since}, the size of a checkpoint the inspector saved (or null), adds the consistency
     * proof from it to the bundle's checkpoint, so that the verifier checks the two offline.
     */
    public void write(Scope scope, Long since, OutputStream out) {
        String note = checkpoints.signNow();
        long size = Checkpoint.parse(SignedNote.parse(note).text()).size();
        List<BundleWriter.EarlierCheckpoint> earlier = checkpoints.before(size).stream()
                .map(n -> new BundleWriter.EarlierCheckpoint(n, consistency(n, size)))
                .toList();
        Map<String, String> described = new LinkedHashMap<>();
        described.put("kind", scope.kind());
        described.put("task", scope.task());
        described.put("unit", scope.unit());
        described.put("from", scope.from() == null ? null : scope.from().toString());
        described.put("to", scope.to() == null ? null : scope.to().toString());
        try (BundleWriter writer = new BundleWriter(out, key.publicKey().vkey(), described, note, earlier,
                since == null ? null : new BundleWriter.Since(since, auditLog.consistencyProof(since, size)))) {
            if (scope.kind().equals("log")) {
                auditLog.forEachInOrder(size, r -> writer.record(r.seq(), r.leaf().getBytes(StandardCharsets.UTF_8),
                        r.leafHash(), null));
            }
            else {
                auditLog.forEach(scope.query(), size, r -> writer.record(r.seq(),
                        r.leaf().getBytes(StandardCharsets.UTF_8), r.leafHash(), auditLog.inclusionProof(r.seq(), size)));
            }
        }
    }
}
