package gov.yuancheng.supervision.task.domain;

import java.time.Instant;

/** 审核: the office's answer to a completion request. */
public record Review(Outcome outcome, String reason, String by, Instant at) {

    public enum Outcome {
        APPROVED, RETURNED
    }
}
