package gov.yuancheng.supervision.audit.web;

import java.util.Base64;
import java.util.List;

import gov.yuancheng.supervision.audit.checkpoint.Checkpoints;
import gov.yuancheng.supervision.audit.checkpoint.SigningKey;
import gov.yuancheng.supervision.audit.record.AuditLog;
import gov.yuancheng.supervision.audit.record.StoredRecord;
import gov.yuancheng.supervision.verifier.Checkpoint;
import gov.yuancheng.supervision.verifier.SignedNote;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Proofs against signed checkpoints, the latest checkpoint and the key that signs them. */
@RestController
@RequestMapping("/api/audit")
@Validated
class ProofController {

    private final AuditLog auditLog;
    private final Checkpoints checkpoints;
    private final SigningKey key;

    ProofController(AuditLog auditLog, Checkpoints checkpoints, SigningKey key) {
        this.auditLog = auditLog;
        this.checkpoints = checkpoints;
        this.key = key;
    }

    record InclusionProof(long seq, long treeSize, String leaf, String leafHash, List<String> proof,
            String checkpoint) {
    }

    record ConsistencyProof(long first, long second, List<String> proof, String firstCheckpoint,
            String secondCheckpoint) {
    }

    @GetMapping(path = "/checkpoints/latest", produces = MediaType.TEXT_PLAIN_VALUE)
    @PreAuthorize("hasAnyRole('inspector', 'admin')")
    String latestCheckpoint() {
        return checkpoints.latest().orElseGet(checkpoints::signNow);
    }

    @GetMapping(path = "/public-key", produces = MediaType.TEXT_PLAIN_VALUE)
    @PreAuthorize("hasAnyRole('inspector', 'admin')")
    String publicKey() {
        return key.publicKey().vkey() + "\n";
    }

    /** Proves record {@code seq} is in the tree that the checkpoint of {@code size} (default: the latest) signs. */
    @GetMapping("/records/{seq}/proof")
    @PreAuthorize("hasRole('inspector')")
    InclusionProof inclusion(@PathVariable @Min(1) long seq, @RequestParam(required = false) @Min(1) Long size) {
        String note = size == null ? latestCovering(seq) : checkpoint(size);
        long treeSize = Checkpoint.parse(SignedNote.parse(note).text()).size();
        if (seq > treeSize) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "Record " + seq + " is not covered by the checkpoint of size " + treeSize + ".");
        }
        StoredRecord record = auditLog.get(seq);
        return new InclusionProof(seq, treeSize, record.leaf(), Base64.getEncoder().encodeToString(record.leafHash()),
                encode(auditLog.inclusionProof(seq, treeSize)), note);
    }

    /** Proves the checkpoint of size {@code second} extends, unchanged, the one of size {@code first}. */
    @GetMapping("/consistency")
    @PreAuthorize("hasRole('inspector')")
    ConsistencyProof consistency(@RequestParam @Min(1) long first, @RequestParam @Min(1) long second) {
        if (first > second) {
            throw new IllegalArgumentException("first must not be larger than second.");
        }
        String firstNote = checkpoint(first);
        String secondNote = checkpoint(second);
        return new ConsistencyProof(first, second, encode(auditLog.consistencyProof(first, second)), firstNote,
                secondNote);
    }

    /** The latest checkpoint, or a new one if the record is too recent for it (checkpoints come every few seconds). */
    private String latestCovering(long seq) {
        String latest = checkpoints.latest().orElseGet(checkpoints::signNow);
        return Checkpoint.parse(SignedNote.parse(latest).text()).size() >= seq ? latest : checkpoints.signNow();
    }

    private String checkpoint(long size) {
        return checkpoints.at(size).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "No checkpoint was signed at size " + size + "."));
    }

    private static List<String> encode(List<byte[]> hashes) {
        return hashes.stream().map(Base64.getEncoder()::encodeToString).toList();
    }
}
