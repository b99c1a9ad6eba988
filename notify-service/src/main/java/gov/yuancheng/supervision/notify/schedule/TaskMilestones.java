package gov.yuancheng.supervision.notify.schedule;

import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** A task's milestones, kept from its registration: the lead unit is reminded of each before it is due. */
@Document("task_milestones")
public record TaskMilestones(@Id String taskId, List<Milestone> milestones) {

    public TaskMilestones {
        milestones = milestones == null ? List.of() : List.copyOf(milestones);
    }
}
