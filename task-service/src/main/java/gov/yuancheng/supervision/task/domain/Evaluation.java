package gov.yuancheng.supervision.task.domain;

import java.time.Instant;

/** 评价: the office's scores for a completed task, 0 to 100 each. */
public record Evaluation(int timeliness, int quality, String comment, String by, Instant at) {

    public double score() {
        return (timeliness + quality) / 2.0;
    }
}
