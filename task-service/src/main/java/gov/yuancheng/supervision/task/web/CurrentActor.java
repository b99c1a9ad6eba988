package gov.yuancheng.supervision.task.web;

import java.util.List;

import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.RequestOrigin;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/** Reads the actor from the verified token and the request's origin as the gateway forwarded it. */
@Component
public class CurrentActor {

    private final Tracer tracer;

    CurrentActor(Tracer tracer) {
        this.tracer = tracer;
    }

    public static Actor of(Jwt jwt) {
        List<String> roles = jwt.getClaimAsStringList("roles");
        return new Actor(jwt.getSubject(), jwt.getClaimAsString("preferred_username"), jwt.getClaimAsString("name"),
                jwt.getClaimAsString("org_unit"), roles);
    }

    public RequestOrigin origin(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        String client = forwarded != null && !forwarded.isBlank() ? forwarded.split(",")[0].trim()
                : request.getRemoteAddr();
        var span = tracer.currentSpan();
        String traceparent = span == null ? null
                : "00-" + span.context().traceId() + "-" + span.context().spanId() + "-01";
        return new RequestOrigin(client, truncate(request.getHeader("User-Agent")), traceparent);
    }

    private static String truncate(String value) {
        return value == null || value.length() <= 512 ? value : value.substring(0, 512);
    }
}
