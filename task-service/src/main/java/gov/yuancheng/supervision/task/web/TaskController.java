package gov.yuancheng.supervision.task.web;

import java.net.URI;
import java.time.Clock;

import gov.yuancheng.supervision.task.domain.Task;
import gov.yuancheng.supervision.task.store.TaskStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.web.PagedModel;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
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

@RestController
@RequestMapping("/api/tasks")
@Validated
class TaskController {

    private final TaskStore store;
    private final CurrentActor current;
    private final Clock clock;

    TaskController(TaskStore store, CurrentActor current, Clock clock) {
        this.store = store;
        this.current = current;
        this.clock = clock;
    }

    /** 立项 and 交办: registers a task and assigns it to its lead unit and co-units. */
    @PostMapping
    @PreAuthorize("hasRole('supervisor')")
    ResponseEntity<TaskView> register(@Valid @RequestBody CreateTaskRequest body, @AuthenticationPrincipal Jwt jwt,
            HttpServletRequest request) {
        Task task = store.insert(Task.register(body.toCommand(), CurrentActor.of(jwt), current.origin(request),
                clock.instant()));
        return ResponseEntity.created(URI.create("/api/tasks/" + task.id()))
                .eTag(String.valueOf(task.version()))
                .body(TaskView.of(task));
    }

    /** A task the caller may see; any other id, including another unit's task, is 404. */
    @GetMapping("/{id}")
    ResponseEntity<TaskView> get(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
        Task task = store.findVisible(id, CurrentActor.of(jwt)).orElseThrow(() -> new TaskNotFoundException(id));
        return ResponseEntity.ok().eTag(String.valueOf(task.version())).body(TaskView.of(task));
    }

    @GetMapping
    PagedModel<TaskView> list(@RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size, @AuthenticationPrincipal Jwt jwt) {
        return new PagedModel<>(store.findVisible(CurrentActor.of(jwt), PageRequest.of(page, size)).map(TaskView::of));
    }
}
