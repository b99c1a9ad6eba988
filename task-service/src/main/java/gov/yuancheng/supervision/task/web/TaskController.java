package gov.yuancheng.supervision.task.web;

import java.net.URI;
import java.time.LocalDate;
import java.util.Set;
import java.util.function.BiConsumer;

import gov.yuancheng.supervision.task.app.TaskWorkflow;
import gov.yuancheng.supervision.task.attachment.Attachments;
import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Context;
import gov.yuancheng.supervision.task.domain.Light;
import gov.yuancheng.supervision.task.domain.Source;
import gov.yuancheng.supervision.task.domain.Task;
import gov.yuancheng.supervision.task.domain.TaskStatus;
import gov.yuancheng.supervision.task.store.TaskQuery;
import gov.yuancheng.supervision.task.store.TaskStore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The supervision lifecycle over HTTP. Every change answers the task as the caller now sees it, with
 * its version as ETag; send it back as If-Match to be told (412) when someone changed the task in
 * between, and an Idempotency-Key to have a retried request applied once.
 */
@RestController
@RequestMapping("/api/tasks")
@Validated
class TaskController {

    private static final Set<String> SORTABLE = Set.of("createdAt", "deadline", "updatedAt", "priority", "light");
    private static final String ID = TaskRequests.ID;

    private final TaskWorkflow workflow;
    private final TaskStore store;
    private final Attachments attachments;

    TaskController(TaskWorkflow workflow, TaskStore store, Attachments attachments) {
        this.workflow = workflow;
        this.store = store;
        this.attachments = attachments;
    }

    /** 立项 and 交办 (a sub-task, 分解, when parentId is given). */
    @PostMapping
    ResponseEntity<TaskView> register(@Valid @RequestBody TaskRequests.Register body, ChangeRequest change) {
        Actor actor = change.actor();
        TaskWorkflow.Registered registered = workflow.register(body.toCommand(), change.idempotencyKey(), actor,
                change.origin());
        Task task = registered.task();
        return ResponseEntity.status(registered.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .location(URI.create("/api/tasks/" + task.id()))
                .eTag(etag(task))
                .body(TaskView.of(task, actor));
    }

    /** A task the caller may see; any other id, including another unit's task, is 404. */
    @GetMapping("/{id}")
    ResponseEntity<TaskView> get(@PathVariable @Pattern(regexp = ID) String id, @AuthenticationPrincipal Jwt jwt) {
        Actor actor = CurrentActor.of(jwt);
        Task task = workflow.visible(id, actor);
        return ResponseEntity.ok().eTag(etag(task)).body(TaskView.of(task, actor));
    }

    /** Search: a unit finds its own tasks only, whatever it asks for. */
    @GetMapping
    PagedModel<TaskView> search(@RequestParam(required = false) TaskStatus status,
            @RequestParam(required = false) @Size(max = 40) @Pattern(regexp = "[a-z][a-z0-9-]*") String category,
            @RequestParam(required = false) @Pattern(regexp = TaskRequests.UNIT_CODE) String unit,
            @RequestParam(required = false) Light light,
            @RequestParam(required = false) Source.Kind source,
            @RequestParam(required = false) @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+") String leader,
            @RequestParam(required = false) LocalDate deadlineFrom,
            @RequestParam(required = false) LocalDate deadlineTo,
            @RequestParam(required = false) @Size(max = 100) String q,
            @RequestParam(required = false) @Pattern(regexp = ID) String parentId,
            @RequestParam(defaultValue = "0") @Min(0) @Max(10_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size,
            @RequestParam(defaultValue = "createdAt") @Pattern(regexp = "createdAt|deadline|updatedAt|priority|light") String sort,
            @RequestParam(defaultValue = "desc") @Pattern(regexp = "asc|desc") String direction,
            @AuthenticationPrincipal Jwt jwt) {
        Actor actor = CurrentActor.of(jwt);
        TaskQuery query = new TaskQuery(status, category, unit, light, source, leader, deadlineFrom, deadlineTo,
                q == null || q.isBlank() ? null : q.strip(), parentId);
        Sort order = Sort.by(Sort.Direction.fromString(direction), SORTABLE.contains(sort) ? sort : "createdAt");
        return new PagedModel<>(store.search(query, actor, PageRequest.of(page, size, order))
                .map(task -> TaskView.of(task, actor)));
    }

    // ---- the assigned unit ----------------------------------------------------------------------------

    @PostMapping("/{id}/acknowledge")
    ResponseEntity<TaskView> acknowledge(@PathVariable @Pattern(regexp = ID) String id, ChangeRequest change) {
        return act(id, change, (task, context) -> task.acknowledge(context));
    }

    @PostMapping("/{id}/reports")
    ResponseEntity<TaskView> report(@PathVariable @Pattern(regexp = ID) String id,
            @Valid @RequestBody TaskRequests.Report body, ChangeRequest change) {
        return act(id, change, (task, context) -> {
            attachments.requireOwn(task, context.actor(), body.attachments());
            task.reportProgress(body.text(), body.percent(), body.unchanged(), body.attachments(), body.cited(), context);
        });
    }

    @PostMapping("/{id}/extension-requests")
    ResponseEntity<TaskView> requestExtension(@PathVariable @Pattern(regexp = ID) String id,
            @Valid @RequestBody TaskRequests.ExtensionRequest body, ChangeRequest change) {
        return act(id, change, (task, context) -> task.requestExtension(body.reason().strip(), body.proposedDeadline(), context));
    }

    @PostMapping("/{id}/completion-request")
    ResponseEntity<TaskView> requestCompletion(@PathVariable @Pattern(regexp = ID) String id,
            @Valid @RequestBody TaskRequests.CompletionRequest body, ChangeRequest change) {
        return act(id, change, (task, context) -> task.requestCompletion(body.summary().strip(), context));
    }

    // ---- the supervision office -----------------------------------------------------------------------

    @PostMapping("/{id}/assignments/{assignmentId}/urge")
    ResponseEntity<TaskView> urge(@PathVariable @Pattern(regexp = ID) String id,
            @PathVariable @Pattern(regexp = ID) String assignmentId, @Valid @RequestBody TaskRequests.Urge body, ChangeRequest change) {
        return act(id, change, (task, context) -> task.urge(assignmentId, body.message().strip(), context));
    }

    @PostMapping("/{id}/assignments/{assignmentId}/extension-requests/{requestId}/decision")
    ResponseEntity<TaskView> decideExtension(@PathVariable @Pattern(regexp = ID) String id,
            @PathVariable @Pattern(regexp = ID) String assignmentId, @PathVariable @Pattern(regexp = ID) String requestId,
            @Valid @RequestBody TaskRequests.Decision body, ChangeRequest change) {
        return act(id, change, (task, context) -> task.decideExtension(assignmentId, requestId,
                body.approved(), body.reason(), context));
    }

    @PostMapping("/{id}/assignments/{assignmentId}/deadline")
    ResponseEntity<TaskView> changeDeadline(@PathVariable @Pattern(regexp = ID) String id,
            @PathVariable @Pattern(regexp = ID) String assignmentId, @Valid @RequestBody TaskRequests.DeadlineChange body, ChangeRequest change) {
        return act(id, change, (task, context) -> task.changeDeadline(assignmentId,
                body.deadline(), body.reason().strip(), context));
    }

    @PostMapping("/{id}/assignments/{assignmentId}/review")
    ResponseEntity<TaskView> review(@PathVariable @Pattern(regexp = ID) String id,
            @PathVariable @Pattern(regexp = ID) String assignmentId, @Valid @RequestBody TaskRequests.Decision body, ChangeRequest change) {
        return act(id, change, (task, context) -> task.review(assignmentId, body.approved(), body.reason(), context));
    }

    @PostMapping("/{id}/evaluation")
    ResponseEntity<TaskView> evaluate(@PathVariable @Pattern(regexp = ID) String id,
            @Valid @RequestBody TaskRequests.Evaluation body, ChangeRequest change) {
        return act(id, change, (task, context) -> task.evaluate(body.timeliness(), body.quality(), body.comment(), context));
    }

    @PostMapping("/{id}/cancel")
    ResponseEntity<TaskView> cancel(@PathVariable @Pattern(regexp = ID) String id,
            @Valid @RequestBody TaskRequests.Reason body, ChangeRequest change) {
        return act(id, change, (task, context) -> task.cancel(body.reason().strip(), context));
    }

    @PostMapping("/{id}/suspend")
    ResponseEntity<TaskView> suspend(@PathVariable @Pattern(regexp = ID) String id,
            @Valid @RequestBody TaskRequests.Reason body, ChangeRequest change) {
        return act(id, change, (task, context) -> task.suspend(body.reason().strip(), context));
    }

    @PostMapping("/{id}/resume")
    ResponseEntity<TaskView> resume(@PathVariable @Pattern(regexp = ID) String id,
            @Valid @RequestBody TaskRequests.Reason body, ChangeRequest change) {
        return act(id, change, (task, context) -> task.resume(body.reason().strip(), context));
    }

    private ResponseEntity<TaskView> act(String id, ChangeRequest request, BiConsumer<Task, Context> change) {
        Task task = workflow.change(id, request.expectedVersion(), request.idempotencyKey(), request.actor(),
                request.origin(), change);
        return ResponseEntity.ok().eTag(etag(task)).body(TaskView.of(task, request.actor()));
    }

    private static String etag(Task task) {
        return "\"" + (task.version() == null ? 0 : task.version()) + "\"";
    }
}
