package gov.yuancheng.supervision.gateway.events;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import gov.yuancheng.supervision.gateway.edge.RequestId;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.micrometer.tracing.Tracer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * What the audit trail must learn from the edge: sign-ins, failed sign-ins, sign-outs, refused requests and rate
 * limiting. Each becomes a CloudEvent ({@code gov.supervision.security.<kind>.v1}, contract in
 * {@code contracts/security-events.schema.json}) written to the {@code security_outbox} collection first, so that
 * none is lost while Kafka is away; {@link SecurityEventRelay} publishes them. Recording never fails the request
 * it describes.
 */
@Component
public class SecurityEvents {

    public enum Kind {
        LOGIN_SUCCEEDED("login-succeeded"), LOGIN_FAILED("login-failed"), LOGGED_OUT("logged-out"),
        ACCESS_DENIED("access-denied"), RATE_LIMITED("rate-limited");

        final String type;

        Kind(String name) {
            this.type = "gov.supervision.security." + name + ".v1";
        }
    }

    static final String OUTBOX = "security_outbox";
    static final URI SOURCE = URI.create("/supervision/gateway");
    private static final Logger log = LoggerFactory.getLogger(SecurityEvents.class);

    private final ReactiveMongoTemplate mongo;
    private final JsonMapper json;
    private final Tracer tracer;
    private final Clock clock = Clock.systemUTC();

    SecurityEvents(ReactiveMongoTemplate mongo, JsonMapper json, Tracer tracer) {
        this.mongo = mongo;
        this.json = json;
        this.tracer = tracer;
    }

    /**
     * Records one event about the request in {@code exchange}; {@code who} may be null (nobody signed in), and
     * {@code details} adds to the path, method and request id that every event carries.
     */
    public Mono<Void> record(Kind kind, ServerWebExchange exchange, Authentication who, Map<String, ?> details) {
        Instant now = clock.instant();
        CloudEvent event;
        try {
            event = toCloudEvent(kind, exchange, who, details, now);
        }
        catch (RuntimeException e) {
            log.error("Could not describe a {} event", kind, e);
            return Mono.empty();
        }
        String key = event.getExtension("actorid") != null ? event.getExtension("actorid").toString()
                : String.valueOf(event.getExtension("clientaddress"));
        Document pending = new Document("_id", event.getId())
                .append("key", key)
                .append("event", new String(EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE)
                        .serialize(event), StandardCharsets.UTF_8))
                .append("createdAt", Date.from(now))
                .append("leaseUntil", Date.from(Instant.EPOCH))
                .append("published", false);
        return mongo.insert(pending, OUTBOX)
                .doOnError(e -> log.error("A {} event could not be stored and is lost: {}", kind, event.getId(), e))
                .onErrorComplete()
                .then();
    }

    /** Like {@link #record}, for whoever the security context says made the request (nobody, if no one). */
    public Mono<Void> recordForCaller(Kind kind, ServerWebExchange exchange, Map<String, ?> details) {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(SecurityContext::getAuthentication)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(who -> record(kind, exchange, who.orElse(null), details));
    }

    CloudEvent toCloudEvent(Kind kind, ServerWebExchange exchange, Authentication who, Map<String, ?> details,
            Instant now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("method", exchange.getRequest().getMethod().name());
        data.put("path", exchange.getRequest().getPath().value());
        data.put("requestId", RequestId.of(exchange));
        data.putAll(details);
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withType(kind.type)
                .withSource(SOURCE)
                .withTime(now.atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(json.writeValueAsBytes(data));
        ClaimAccessor claims = claims(who);
        if (claims != null) {
            String subject = claims.getClaimAsString("sub");
            builder.withSubject(claims.getClaimAsString("preferred_username"));
            extension(builder, "actorid", subject);
            extension(builder, "actorname", claims.getClaimAsString("name"));
            extension(builder, "actororg", claims.getClaimAsString("org_unit"));
            var roles = claims.getClaimAsStringList("roles");
            extension(builder, "actorroles", roles == null ? null : String.join(",", roles));
        }
        else if (who != null) {
            builder.withSubject(who.getName());
        }
        InetSocketAddress client = exchange.getRequest().getRemoteAddress();
        extension(builder, "clientaddress", client == null || client.getAddress() == null ? null
                : client.getAddress().getHostAddress());
        String agent = exchange.getRequest().getHeaders().getFirst("User-Agent");
        extension(builder, "useragent", agent == null || agent.length() <= 512 ? agent : agent.substring(0, 512));
        var span = tracer.currentSpan();
        if (span != null) {
            extension(builder, "traceparent", "00-" + span.context().traceId() + "-" + span.context().spanId() + "-01");
        }
        return builder.build();
    }

    private static ClaimAccessor claims(Authentication who) {
        if (who instanceof JwtAuthenticationToken token) {
            return token.getToken();
        }
        if (who != null && who.getPrincipal() instanceof ClaimAccessor claims) {
            return claims;
        }
        return null;
    }

    private static void extension(CloudEventBuilder builder, String name, String value) {
        if (value != null && !value.isBlank()) {
            builder.withExtension(name, value);
        }
    }
}
