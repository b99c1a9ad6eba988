package gov.yuancheng.supervision.task.domain;

import java.time.Instant;
import java.util.List;

/** 进度反馈: text, percent done, evidence, or the quick "no change since the last report". */
public record ProgressReport(String id, String text, int percent, boolean noChange, List<String> attachmentIds,
        List<String> citedUnits, String by, Instant at) {

    public ProgressReport {
        attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
        citedUnits = citedUnits == null ? List.of() : List.copyOf(citedUnits);
    }
}
