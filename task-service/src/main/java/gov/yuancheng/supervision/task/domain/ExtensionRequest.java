package gov.yuancheng.supervision.task.domain;

import java.time.Instant;
import java.time.LocalDate;

/** 延期申请 and, once decided, its decision. */
public record ExtensionRequest(String id, String reason, LocalDate proposedDeadline, String requestedBy,
        Instant requestedAt, Boolean approved, String decisionReason, String decidedBy, Instant decidedAt) {

    boolean pending() {
        return approved == null;
    }

    ExtensionRequest decide(boolean approve, String why, String by, Instant at) {
        return new ExtensionRequest(id, reason, proposedDeadline, requestedBy, requestedAt, approve, why, by, at);
    }
}
