package gov.yuancheng.supervision.task.attachment;

import java.io.IOException;

import gov.yuancheng.supervision.task.app.TaskNotFoundException;
import gov.yuancheng.supervision.task.app.TaskWorkflow;
import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.NotPermittedException;
import gov.yuancheng.supervision.task.domain.Roles;
import gov.yuancheng.supervision.task.domain.Task;
import gov.yuancheng.supervision.task.web.CurrentActor;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartFile;

/** Upload evidence for a report (the assigned unit), download it (whoever may read it). */
@RestController
@RequestMapping("/api/tasks/{id}/attachments")
@Validated
class AttachmentController {

    private final TaskWorkflow workflow;
    private final Attachments attachments;

    AttachmentController(TaskWorkflow workflow, Attachments attachments) {
        this.workflow = workflow;
        this.attachments = attachments;
    }

    @PostMapping
    ResponseEntity<Attachments.Stored> upload(@PathVariable @Pattern(regexp = "[A-Za-z0-9-]{1,64}") String id,
            @RequestParam("file") MultipartFile file, @AuthenticationPrincipal Jwt jwt) throws IOException {
        Actor actor = CurrentActor.of(jwt);
        Task task = workflow.visible(id, actor);
        if (!actor.hasRole(Roles.UNIT) || task.assignments().stream().noneMatch(a -> a.unit().equals(actor.unit()))) {
            throw new NotPermittedException("Only the assigned unit uploads evidence.");
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(attachments.store(task, actor, file.getOriginalFilename(), file.getBytes()));
    }

    @GetMapping("/{attachmentId}")
    void download(@PathVariable @Pattern(regexp = "[A-Za-z0-9-]{1,64}") String id,
            @PathVariable @Pattern(regexp = "[0-9a-f]{24}") String attachmentId, @AuthenticationPrincipal Jwt jwt,
            HttpServletResponse response) throws IOException {
        Actor actor = CurrentActor.of(jwt);
        Task task = workflow.visible(id, actor);
        var file = attachments.find(task, attachmentId, actor).orElseThrow(() -> new TaskNotFoundException(id));
        response.setContentType(file.getMetadata().getString("contentType"));
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename(file.getFilename(), java.nio.charset.StandardCharsets.UTF_8).build().toString());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLengthLong(file.getLength());
        try (var in = attachments.open(file)) {
            in.transferTo(response.getOutputStream());
        }
    }

    @ExceptionHandler(FileTooLargeException.class)
    ProblemDetail tooLarge(FileTooLargeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ProblemDetail uploadTooLarge(MaxUploadSizeExceededException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, "The upload is too large.");
    }

    @ExceptionHandler(RefusedFileException.class)
    ProblemDetail refused(RefusedFileException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
