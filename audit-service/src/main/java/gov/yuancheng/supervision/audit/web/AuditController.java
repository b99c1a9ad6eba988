package gov.yuancheng.supervision.audit.web;

import gov.yuancheng.supervision.audit.record.AuditLog;
import gov.yuancheng.supervision.audit.record.AuditQuery;
import gov.yuancheng.supervision.audit.record.AuditRecord;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.web.PagedModel;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read-only: the trail has no write endpoint at all. */
@RestController
@RequestMapping("/api/audit")
@Validated
class AuditController {

    private final AuditLog auditLog;

    AuditController(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @GetMapping("/records")
    @PreAuthorize("hasRole('inspector')")
    PagedModel<AuditRecord> search(
            @RequestParam(required = false) @Size(max = 64) @Pattern(regexp = ID) String subject,
            @RequestParam(required = false) @Size(max = 128) @Pattern(regexp = "[a-z0-9.]+") String type,
            @RequestParam(required = false) @Size(max = 64) @Pattern(regexp = ID) String actorId,
            @RequestParam(required = false) @Size(max = 40) @Pattern(regexp = "[a-z0-9-]+") String unit,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return new PagedModel<>(auditLog.search(new AuditQuery(subject, type, actorId, unit), PageRequest.of(page, size)));
    }

    private static final String ID = "[A-Za-z0-9-]+";
}
