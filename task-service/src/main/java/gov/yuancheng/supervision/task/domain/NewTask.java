package gov.yuancheng.supervision.task.domain;

import java.time.LocalDate;
import java.util.List;

/** What the supervision office gives when it registers (立项) and assigns (交办) a task. */
public record NewTask(String title, String description, String leadUnit, List<String> coUnits, LocalDate deadline,
        String responsibleLeader) {

    public NewTask {
        coUnits = coUnits == null ? List.of() : List.copyOf(coUnits);
    }
}
