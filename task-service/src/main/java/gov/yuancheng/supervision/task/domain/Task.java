package gov.yuancheng.supervision.task.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;

/** 督办事项: a supervised task with its assignments and the events it has not yet published. */
@Document("tasks")
public class Task {

    @Id
    private final String id;
    @Version
    private Long version;
    private final String title;
    private final String description;
    private final String leadUnit;
    private final List<String> coUnits;
    private final LocalDate deadline;
    private final String responsibleLeader;
    private final TaskStatus status;
    private final List<Assignment> assignments;
    private final Actor createdBy;
    private final Instant createdAt;
    private final List<OutboxEvent> outbox;

    @PersistenceCreator
    Task(String id, Long version, String title, String description, String leadUnit, List<String> coUnits,
            LocalDate deadline, String responsibleLeader, TaskStatus status, List<Assignment> assignments,
            Actor createdBy, Instant createdAt, List<OutboxEvent> outbox) {
        this.id = id;
        this.version = version;
        this.title = title;
        this.description = description;
        this.leadUnit = leadUnit;
        this.coUnits = coUnits == null ? List.of() : coUnits;
        this.deadline = deadline;
        this.responsibleLeader = responsibleLeader;
        this.status = status;
        this.assignments = assignments == null ? List.of() : assignments;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.outbox = outbox == null ? new ArrayList<>() : outbox;
    }

    /** 立项 and 交办 in one step: the task, one assignment per unit, and their events. */
    public static Task register(NewTask command, Actor actor, RequestOrigin origin, Instant now) {
        if (command.coUnits().contains(command.leadUnit())) {
            throw new IllegalArgumentException("The lead unit cannot also be a co-unit.");
        }
        if (command.coUnits().stream().distinct().count() != command.coUnits().size()) {
            throw new IllegalArgumentException("A co-unit is named twice.");
        }
        String id = UUID.randomUUID().toString();
        List<Assignment> assignments = new ArrayList<>();
        assignments.add(new Assignment(UUID.randomUUID().toString(), command.leadUnit(), AssignmentRole.LEAD,
                AssignmentState.ASSIGNED, now));
        command.coUnits().forEach(unit -> assignments.add(new Assignment(UUID.randomUUID().toString(), unit,
                AssignmentRole.CO, AssignmentState.ASSIGNED, now)));

        List<OutboxEvent> events = new ArrayList<>();
        Map<String, Object> registered = new LinkedHashMap<>();
        registered.put("taskId", id);
        registered.put("title", command.title());
        registered.put("leadUnit", command.leadUnit());
        registered.put("coUnits", command.coUnits());
        registered.put("deadline", command.deadline().toString());
        if (command.responsibleLeader() != null) {
            registered.put("responsibleLeader", command.responsibleLeader());
        }
        events.add(new OutboxEvent(UUID.randomUUID().toString(), TaskEventTypes.REGISTERED, now, actor, origin,
                registered));
        for (Assignment assignment : assignments) {
            Map<String, Object> assigned = new LinkedHashMap<>();
            assigned.put("taskId", id);
            assigned.put("assignmentId", assignment.id());
            assigned.put("unit", assignment.unit());
            assigned.put("role", assignment.role().name());
            assigned.put("title", command.title());
            assigned.put("deadline", command.deadline().toString());
            events.add(new OutboxEvent(UUID.randomUUID().toString(), TaskEventTypes.ASSIGNED, now, actor, origin,
                    assigned));
        }
        return new Task(id, null, command.title(), command.description(), command.leadUnit(), command.coUnits(),
                command.deadline(), command.responsibleLeader(), TaskStatus.IN_PROGRESS, assignments, actor, now,
                events);
    }

    /** Object-level authorization: a unit sees only tasks assigned to it, a leader only those they answer for. */
    public boolean isVisibleTo(Actor actor) {
        if (actor.readsAllTasks()) {
            return true;
        }
        if (actor.hasRole(Roles.LEADER) && actor.username() != null && actor.username().equals(responsibleLeader)) {
            return true;
        }
        return actor.hasRole(Roles.UNIT) && actor.unit() != null
                && assignments.stream().anyMatch(a -> a.unit().equals(actor.unit()));
    }

    public String id() {
        return id;
    }

    public Long version() {
        return version;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    public String leadUnit() {
        return leadUnit;
    }

    public List<String> coUnits() {
        return coUnits;
    }

    public LocalDate deadline() {
        return deadline;
    }

    public String responsibleLeader() {
        return responsibleLeader;
    }

    public TaskStatus status() {
        return status;
    }

    public List<Assignment> assignments() {
        return assignments;
    }

    public Actor createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public List<OutboxEvent> outbox() {
        return outbox;
    }
}
