package gov.yuancheng.supervision.notify.web;

import gov.yuancheng.supervision.notify.push.PushHub;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Live push: {@code notification} events for the caller's and their unit's new notices (server-sent events). */
@RestController
class StreamController {

    private final PushHub hub;

    StreamController(PushHub hub) {
        this.hub = hub;
    }

    @GetMapping(path = "/api/notifications/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@AuthenticationPrincipal Jwt jwt) {
        return hub.subscribe(jwt.getClaimAsString("preferred_username"), jwt.getClaimAsString("org_unit"));
    }
}
