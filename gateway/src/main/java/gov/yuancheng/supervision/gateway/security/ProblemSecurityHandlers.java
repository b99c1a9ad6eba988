package gov.yuancheng.supervision.gateway.security;

import java.util.Map;

import gov.yuancheng.supervision.gateway.events.SecurityEvents;
import gov.yuancheng.supervision.gateway.events.SecurityEvents.Kind;
import gov.yuancheng.supervision.gateway.problem.ProblemResponses;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.access.server.BearerTokenServerAccessDeniedHandler;
import org.springframework.security.oauth2.server.resource.web.server.BearerTokenServerAuthenticationEntryPoint;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.csrf.CsrfException;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/** 401 and 403 as RFC 9457 problem details, keeping the RFC 6750 {@code WWW-Authenticate} header. */
@Component
class ProblemSecurityHandlers implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

    private final BearerTokenServerAuthenticationEntryPoint bearer = new BearerTokenServerAuthenticationEntryPoint();
    private final BearerTokenServerAccessDeniedHandler denied = new BearerTokenServerAccessDeniedHandler();
    private final ProblemResponses problems;
    private final SecurityEvents events;

    ProblemSecurityHandlers(ProblemResponses problems, SecurityEvents events) {
        this.problems = problems;
        this.events = events;
    }

    /** A refused token is a failed sign-in of an API client; a request that simply carries none is not. */
    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException e) {
        Mono<Void> recorded = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)
                ? events.record(Kind.LOGIN_FAILED, exchange, null, Map.of("reason", "The bearer token was refused: "
                        + e.getMessage()))
                : Mono.empty();
        return recorded.then(bearer.commence(keepingResponseOpen(exchange), e))
                .then(problems.write(exchange, HttpStatus.UNAUTHORIZED,
                        "Sign in, or send a valid access token of the supervision realm "
                                + "(missing, expired, forged or for another audience)."));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException e) {
        Mono<Void> recorded = events.recordForCaller(Kind.ACCESS_DENIED, exchange,
                Map.of("reason", e instanceof CsrfException ? "csrf" : "role"));
        if (e instanceof CsrfException) {
            return recorded.then(problems.write(exchange, HttpStatus.FORBIDDEN,
                    "A valid CSRF token is required: send the XSRF-TOKEN cookie's value in the X-XSRF-TOKEN header."));
        }
        return recorded.then(denied.handle(keepingResponseOpen(exchange), e))
                .then(problems.write(exchange, HttpStatus.FORBIDDEN, "Your role does not allow this action."));
    }

    /** The RFC 6750 handlers set the status and the challenge header, then end the response; the body comes after. */
    private static ServerWebExchange keepingResponseOpen(ServerWebExchange exchange) {
        return exchange.mutate().response(new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> setComplete() {
                return Mono.empty();
            }
        }).build();
    }
}
