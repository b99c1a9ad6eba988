package gov.yuancheng.supervision.notify.web;

import java.util.Map;

import gov.yuancheng.supervision.notify.inbox.Inbox;
import gov.yuancheng.supervision.notify.inbox.Notice;
import gov.yuancheng.supervision.notify.inbox.Recipient;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caller's inbox: their own notices and their unit's, nobody else's. */
@RestController
@RequestMapping("/api/notifications")
@Validated
class NotificationController {

    private final Inbox inbox;

    NotificationController(Inbox inbox) {
        this.inbox = inbox;
    }

    @GetMapping
    PagedModel<Notice> list(@RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size, @AuthenticationPrincipal Jwt jwt) {
        return new PagedModel<>(inbox.list(recipient(jwt), PageRequest.of(page, size)));
    }

    @GetMapping("/unread-count")
    Map<String, Long> unread(@AuthenticationPrincipal Jwt jwt) {
        return Map.of("unread", inbox.unread(recipient(jwt)));
    }

    @PostMapping("/{id}/read")
    ResponseEntity<?> markRead(@PathVariable @Pattern(regexp = "[A-Za-z0-9:-]{1,100}") String id,
            @AuthenticationPrincipal Jwt jwt) {
        if (inbox.markRead(id, recipient(jwt))) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No notice " + id + " in your inbox."));
    }

    private static Recipient recipient(Jwt jwt) {
        return new Recipient(jwt.getClaimAsString("preferred_username"), jwt.getClaimAsString("org_unit"));
    }
}
