package gov.yuancheng.supervision.audit.web;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

import gov.yuancheng.supervision.audit.export.EvidenceExport;
import gov.yuancheng.supervision.audit.record.AuditLog;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** One file of evidence for the offline verifier: records, proofs, the checkpoint and the public key. */
@RestController
@RequestMapping("/api/audit")
@Validated
class ExportController {

    private final EvidenceExport export;
    private final AuditLog auditLog;

    ExportController(EvidenceExport export, AuditLog auditLog) {
        this.export = export;
        this.auditLog = auditLog;
    }

    /**
     * {@code ?task=<id>}, or {@code ?unit=<code>&from=&to=}, or {@code ?all=true} for the whole log; {@code since}:
     * the size of the inspector's saved checkpoint, to include the consistency proof from it.
     */
    @GetMapping("/export")
    @PreAuthorize("hasRole('inspector')")
    void export(@RequestParam(required = false) @Size(max = 64) @Pattern(regexp = AuditController.ID) String task,
            @RequestParam(required = false) @Size(max = 40) @Pattern(regexp = AuditController.UNIT) String unit,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(defaultValue = "false") boolean all, @RequestParam(required = false) @Min(1) Long since,
            HttpServletResponse response) throws IOException {
        EvidenceExport.Scope scope;
        String name;
        if (task != null && unit == null && !all && from == null && to == null) {
            scope = EvidenceExport.Scope.task(task);
            name = "task-" + task;
        }
        else if (unit != null && task == null && !all && from != null && to != null) {
            AuditController.checkPeriod(from, to);
            scope = EvidenceExport.Scope.unit(unit, from, to);
            name = "unit-" + unit;
        }
        else if (all && task == null && unit == null && from == null && to == null) {
            scope = EvidenceExport.Scope.log();
            name = "log";
        }
        else {
            throw new IllegalArgumentException(
                    "Export one task (task), one unit and period (unit, from, to), or the whole log (all=true).");
        }
        if (since != null && since > auditLog.size()) {
            throw new IllegalArgumentException("since=" + since + " is beyond the end of the log.");
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader("Content-Disposition", "attachment; filename=\"audit-evidence-" + name + ".json\"");
        try (OutputStream out = response.getOutputStream()) {
            export.write(scope, since, out);
        }
    }
}
