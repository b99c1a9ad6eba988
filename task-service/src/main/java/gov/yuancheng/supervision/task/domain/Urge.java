package gov.yuancheng.supervision.task.domain;

import java.time.Instant;

/** 催办. */
public record Urge(String message, String by, Instant at) {
}
