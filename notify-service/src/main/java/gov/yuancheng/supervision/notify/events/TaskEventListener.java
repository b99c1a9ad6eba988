package gov.yuancheng.supervision.notify.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import gov.yuancheng.supervision.notify.calendar.CalendarYear;
import gov.yuancheng.supervision.notify.calendar.Calendars;
import gov.yuancheng.supervision.notify.delivery.Addressee;
import gov.yuancheng.supervision.notify.delivery.Dispatcher;
import gov.yuancheng.supervision.notify.delivery.Notification;
import gov.yuancheng.supervision.notify.inbox.Inbox;
import gov.yuancheng.supervision.notify.inbox.Notice;
import gov.yuancheng.supervision.notify.schedule.Assignment;
import gov.yuancheng.supervision.notify.schedule.Milestone;
import gov.yuancheng.supervision.notify.schedule.Reminder;
import gov.yuancheng.supervision.notify.schedule.ReminderSweeper;
import gov.yuancheng.supervision.notify.schedule.ReportingCycle;
import gov.yuancheng.supervision.notify.schedule.Schedules;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Turns task events into schedules and notices: this consumer's own reading of task-service's contract
 * ({@code contracts/task-events.schema.json} there), with its own small records for the fields it reads.
 * Every handler is idempotent, so a redelivered event changes nothing.
 */
@Component
class TaskEventListener {

    static final String PREFIX = "gov.supervision.task.";
    static final String CALENDAR = "gov.supervision.calendar.published.v1";
    private static final Logger log = LoggerFactory.getLogger(TaskEventListener.class);

    private final Inbox inbox;
    private final Schedules schedules;
    private final ReminderSweeper sweeper;
    private final Calendars calendars;
    private final Dispatcher dispatcher;
    private final JsonMapper json;
    private final Clock clock;

    TaskEventListener(Inbox inbox, Schedules schedules, ReminderSweeper sweeper, Calendars calendars,
            Dispatcher dispatcher, JsonMapper json, Clock clock) {
        this.inbox = inbox;
        this.schedules = schedules;
        this.sweeper = sweeper;
        this.calendars = calendars;
        this.dispatcher = dispatcher;
        this.json = json;
        this.clock = clock;
    }

    record Assigned(String taskId, Long version, String assignmentId, String unit, String role, String title,
            LocalDate deadline, String responsibleLeader, ReportingCycle reportingCycle) {
    }

    record AssignmentEvent(String taskId, Long version, String assignmentId, String unit) {
    }

    record Urged(String taskId, Long version, String assignmentId, String unit, String message) {
    }

    record DeadlineValue(LocalDate deadline) {
    }

    record DeadlineChanged(String taskId, Long version, String assignmentId, String unit, DeadlineValue after) {
    }

    record ExtensionDecided(String taskId, Long version, String assignmentId, String unit, String requestId,
            Boolean approved, String reason, DeadlineValue before, DeadlineValue after) {
    }

    record Reviewed(String taskId, Long version, String assignmentId, String unit, String outcome) {
    }

    record TaskWide(String taskId, Long version) {
    }

    record Registered(String taskId, Long version, List<Milestone> milestones) {
    }

    record CalendarPublished(Integer year, Long version, List<LocalDate> holidays, List<LocalDate> workdays) {
    }

    @KafkaListener(id = "notify-task-events", topics = "${supervision.topics.task-events}")
    void onTaskEvent(ConsumerRecord<String, byte[]> message) {
        CloudEvent event = parse(message.value());
        // to the millisecond, as stored: an event published again from a store's outbox has lost the rest
        Instant at = (event.getTime() == null ? clock.instant() : event.getTime().toInstant())
                .truncatedTo(ChronoUnit.MILLIS);
        String type = event.getType();
        if (CALENDAR.equals(type)) {
            calendar(event, at);
            return;
        }
        if (!type.startsWith(PREFIX)) {
            throw new InvalidEventException("Unknown event type " + type);
        }
        switch (type.substring(PREFIX.length())) {
            case "assigned.v1" -> assigned(event, at);
            case "acknowledged.v1" -> {
                AssignmentEvent e = assignmentEvent(event, AssignmentEvent.class);
                schedules.change(e.assignmentId(), e.version(), at, a -> with(a, a.deadline(), a.deadlineVersion(), true,
                        a.lastReportDate(), a.state()));
            }
            case "progress-reported.v1" -> {
                AssignmentEvent e = assignmentEvent(event, AssignmentEvent.class);
                LocalDate day = at.atZone(schedules.planner().zone()).toLocalDate();
                schedules.change(e.assignmentId(), e.version(), at, a -> with(a, a.deadline(), a.deadlineVersion(),
                        a.acknowledged(), day, a.state()));
            }
            case "urged.v1" -> {
                Urged e = data(event, Urged.class);
                require(e.assignmentId(), "assignmentId", event);
                Reminder urge = schedules.urge(e.assignmentId(), e.taskId(), e.unit(), e.message(), at);
                sweeper.send(urge.key(), clock.instant().isBefore(at) ? at : clock.instant());
            }
            case "deadline-changed.v1" -> {
                DeadlineChanged e = data(event, DeadlineChanged.class);
                require(e.assignmentId(), "assignmentId", event);
                if (e.after() == null || e.after().deadline() == null || e.version() == null) {
                    throw new InvalidEventException("Event " + event.getId() + " has no new deadline or version.");
                }
                schedules.change(e.assignmentId(), e.version(), at, a -> with(a, e.after().deadline(), e.version(),
                        a.acknowledged(), a.lastReportDate(), a.state()));
            }
            case "completion-requested.v1" -> state(assignmentEvent(event, AssignmentEvent.class), at,
                    Assignment.State.IN_REVIEW);
            case "reviewed.v1" -> {
                Reviewed e = data(event, Reviewed.class);
                require(e.assignmentId(), "assignmentId", event);
                Assignment.State next = "APPROVED".equals(e.outcome()) ? Assignment.State.CLOSED : Assignment.State.OPEN;
                state(new AssignmentEvent(e.taskId(), e.version(), e.assignmentId(), e.unit()), at, next);
            }
            case "cancelled.v1" -> taskWide(event, at, Assignment.State.CLOSED);
            case "suspended.v1" -> taskWide(event, at, Assignment.State.SUSPENDED);
            case "resumed.v1" -> taskWide(event, at, Assignment.State.OPEN);
            case "extension-decided.v1" -> extensionDecided(event);
            case "registered.v1" -> {
                Registered e = data(event, Registered.class);
                String taskId = e.taskId() != null ? e.taskId() : event.getSubject();
                require(taskId, "taskId", event);
                schedules.milestones(taskId, e.milestones(), at);
            }
            case "extension-requested.v1", "evaluated.v1" -> {
                // nothing to schedule or tell
            }
            default -> throw new InvalidEventException("Unknown event type " + type);
        }
    }

    private void assigned(CloudEvent event, Instant at) {
        Assigned e = data(event, Assigned.class);
        require(e.assignmentId(), "assignmentId", event);
        if (e.deadline() == null || e.unit() == null || e.version() == null) {
            throw new InvalidEventException("Event " + event.getId() + " lacks deadline, unit or version.");
        }
        schedules.assign(new Assignment(e.assignmentId(), e.taskId(), e.unit(), e.role(), e.title(), e.deadline(),
                e.version(), e.responsibleLeader(), e.reportingCycle(), at, false, null, Assignment.State.OPEN,
                e.version(), List.of()), at);
        String role = "LEAD".equals(e.role()) ? "牵头单位" : "配合单位";
        int delivered = inbox.deliver(List.of(new Notice(event.getId(), e.unit(), null, "ASSIGNED", e.taskId(),
                "新交办事项：" + e.title(), "您单位为该事项的" + role + "，办理期限 " + e.deadline() + "。请及时签收。",
                clock.instant(), null, null, false)));
        log.debug("Assignment notice {} for {}: {}", event.getId(), e.unit(), delivered == 1 ? "delivered" : "duplicate");
    }

    /**
     * 延期审批: the unit is told at once whether its request was approved, through every channel. The schedule is
     * not changed here: an approval is followed by deadline-changed, which moves the reminders. The event id is the
     * notification's key, so a redelivery reaches nobody twice.
     */
    private void extensionDecided(CloudEvent event) {
        ExtensionDecided e = data(event, ExtensionDecided.class);
        require(e.assignmentId(), "assignmentId", event);
        require(e.unit(), "unit", event);
        if (e.approved() == null) {
            throw new InvalidEventException("Event " + event.getId() + " does not say whether it was approved.");
        }
        Assignment a = schedules.find(e.assignmentId());
        String taskId = e.taskId() != null ? e.taskId() : event.getSubject();
        LocalDate before = e.before() != null ? e.before().deadline() : a == null ? null : a.deadline();
        LocalDate after = e.approved() && e.after() != null && e.after().deadline() != null ? e.after().deadline() : before;
        Map<String, String> values = new LinkedHashMap<>();
        values.put("title", a == null || a.title() == null ? "" : a.title());
        values.put("unit", e.unit());
        values.put("previousDeadline", Dispatcher.chineseDate(before));
        values.put("deadline", Dispatcher.chineseDate(after));
        values.put("opinion", e.reason() == null || e.reason().isBlank() ? "" : "审批意见：" + e.reason().strip());
        dispatcher.dispatch(List.of(new Notification(event.getId(), e.approved() ? "EXTENSION_APPROVED" : "EXTENSION_REJECTED",
                taskId, e.assignmentId(), List.of(Addressee.unit(e.unit())), values, null, false)));
    }

    private void calendar(CloudEvent event, Instant at) {
        CalendarPublished e = data(event, CalendarPublished.class);
        if (e.year() == null || e.version() == null) {
            throw new InvalidEventException("Calendar event " + event.getId() + " lacks year or version.");
        }
        if (calendars.publish(new CalendarYear(e.year(), e.version(),
                e.holidays() == null ? null : new HashSet<>(e.holidays()),
                e.workdays() == null ? null : new HashSet<>(e.workdays())))) {
            int replanned = schedules.replanOpen(at);
            log.info("Calendar {} version {} stored; {} open schedules recomputed", e.year(), e.version(), replanned);
        }
    }

    private void state(AssignmentEvent e, Instant at, Assignment.State state) {
        schedules.change(e.assignmentId(), e.version(), at, a -> with(a, a.deadline(), a.deadlineVersion(),
                a.acknowledged(), a.lastReportDate(), state));
    }

    private void taskWide(CloudEvent event, Instant at, Assignment.State state) {
        TaskWide e = data(event, TaskWide.class);
        String taskId = e.taskId() != null ? e.taskId() : event.getSubject();
        if (taskId == null || e.version() == null) {
            throw new InvalidEventException("Event " + event.getId() + " lacks taskId or version.");
        }
        for (Assignment a : schedules.ofTask(taskId)) {
            if (state == Assignment.State.OPEN && a.state() != Assignment.State.SUSPENDED) {
                continue;
            }
            if (a.state() == Assignment.State.CLOSED) {
                continue;
            }
            schedules.change(a.id(), e.version(), at, x -> with(x, x.deadline(), x.deadlineVersion(), x.acknowledged(),
                    x.lastReportDate(), state));
        }
    }

    private static Assignment with(Assignment a, LocalDate deadline, long deadlineVersion, boolean acknowledged,
            LocalDate lastReport, Assignment.State state) {
        return new Assignment(a.id(), a.taskId(), a.unit(), a.role(), a.title(), deadline, deadlineVersion,
                a.responsibleLeader(), a.reportingCycle(), a.assignedAt(), acknowledged, lastReport, state,
                a.appliedVersion(), a.reminderKeys());
    }

    private AssignmentEvent assignmentEvent(CloudEvent event, Class<AssignmentEvent> type) {
        AssignmentEvent e = data(event, type);
        require(e.assignmentId(), "assignmentId", event);
        if (e.version() == null) {
            throw new InvalidEventException("Event " + event.getId() + " has no version.");
        }
        return e;
    }

    private static void require(String value, String field, CloudEvent event) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException("Event " + event.getId() + " has no " + field + ".");
        }
    }

    private <T> T data(CloudEvent event, Class<T> type) {
        if (event.getData() == null) {
            throw new InvalidEventException("Event " + event.getId() + " has no data.");
        }
        try {
            return json.readValue(event.getData().toBytes(), type);
        }
        catch (JacksonException e) {
            throw new InvalidEventException("Event " + event.getId() + " has unreadable data: " + e.getOriginalMessage());
        }
    }

    static CloudEvent parse(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidEventException("An event without a value.");
        }
        try {
            return EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE).deserialize(bytes);
        }
        catch (EventDeserializationException | IllegalStateException | IllegalArgumentException e) {
            throw new InvalidEventException("Not a CloudEvent in structured JSON mode: "
                    + new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.UTF_8));
        }
    }
}
