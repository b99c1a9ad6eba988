package gov.yuancheng.supervision.audit.web;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import gov.yuancheng.supervision.audit.record.AuditLog;
import gov.yuancheng.supervision.audit.record.RecordDraft;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Records every authenticated request to the trail in the trail itself, before it is served: if the record cannot
 * be written, the read does not happen. Refused attempts (403) are recorded too, which inspectors want to see.
 */
@Component
class ReadRecording implements HandlerInterceptor, WebMvcConfigurer {

    static final String READ_TYPE = "gov.supervision.audit.read.v1";
    private final AuditLog auditLog;
    private final Clock clock;

    ReadRecording(AuditLog auditLog, Clock clock) {
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/audit/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof Jwt jwt)) {
            return true;
        }
        Object roles = jwt.getClaims().get("roles");
        var actor = new RecordDraft.Actor(jwt.getSubject(),
                jwt.hasClaim("name") ? jwt.getClaimAsString("name") : jwt.getClaimAsString("preferred_username"),
                jwt.getClaimAsString("org_unit"),
                roles instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : null);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("method", request.getMethod());
        data.put("path", request.getRequestURI());
        data.put("query", request.getQueryString());
        String forwarded = request.getHeader("X-Forwarded-For");
        String client = forwarded != null ? forwarded.split(",")[0].strip() : request.getRemoteAddr();
        auditLog.append(new RecordDraft(UUID.randomUUID().toString(), "audit-service", READ_TYPE,
                "/supervision/audit-service", null, clock.instant(), actor, client, request.getHeader("User-Agent"),
                request.getHeader("traceparent"), data));
        return true;
    }
}
