package gov.yuancheng.supervision.gateway.me;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Served by the gateway itself: annotated controllers are matched before the routes, and no route claims this path. */
@RestController
class MeController {

    @GetMapping("/api/me")
    CurrentUser me(@AuthenticationPrincipal ClaimAccessor claims) {
        return CurrentUser.of(claims);
    }
}
