package gov.yuancheng.supervision.gateway.edge;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import gov.yuancheng.supervision.gateway.events.SecurityEvents;
import gov.yuancheng.supervision.gateway.problem.ProblemResponses;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * At most {@code supervision.rate-limit.requests} API calls per user in each window of
 * {@code supervision.rate-limit.window}; beyond that 429 with {@code Retry-After} until the window ends. The count of
 * a window is one document in the shared store, raised atomically, so the limit holds however many gateway replicas
 * share the load. Callers who are not signed in are counted by their address. If the store cannot answer in time
 * the call is let through: an unavailable limiter must not become an unavailable system.
 */
@Component
class RateLimit implements WebFilter {

    static final String COLLECTION = "rate_limits";
    private static final Logger log = LoggerFactory.getLogger(RateLimit.class);

    private final ReactiveMongoTemplate mongo;
    private final ProblemResponses problems;
    private final SecurityEvents events;
    private final int requests;
    private final Duration window;
    private final Clock clock = Clock.systemUTC();

    RateLimit(ReactiveMongoTemplate mongo, ProblemResponses problems, SecurityEvents events,
            @Value("${supervision.rate-limit.requests:600}") int requests,
            @Value("${supervision.rate-limit.window:60s}") Duration window) {
        this.mongo = mongo;
        this.problems = problems;
        this.events = events;
        this.requests = requests;
        this.window = window;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(SecurityContext::getAuthentication)
                .filter(who -> who.isAuthenticated() && !(who instanceof AnonymousAuthenticationToken))
                .map(who -> new Caller("user:" + who.getName(), who))
                .switchIfEmpty(Mono.fromSupplier(() -> new Caller("address:" + address(exchange), null)))
                .flatMap(caller -> count(caller.key()).flatMap(window -> window.count() <= requests
                        ? chain.filter(exchange)
                        : refuse(exchange, caller, window)));
    }

    private Mono<Window> count(String caller) {
        Instant now = clock.instant();
        long length = window.toMillis();
        Instant start = Instant.ofEpochMilli(now.toEpochMilli() / length * length);
        Instant end = start.plus(window);
        var thisWindow = Query.query(where("_id").is(caller + "@" + start.toEpochMilli()));
        var raise = new Update().inc("count", 1).setOnInsert("expiresAt", Date.from(end));
        return mongo.findAndModify(thisWindow, raise, FindAndModifyOptions.options().upsert(true).returnNew(true),
                        Document.class, COLLECTION)
                .map(counted -> new Window(((Number) counted.get("count")).longValue(), Duration.between(now, end)))
                .timeout(Duration.ofSeconds(1))
                .onErrorResume(e -> {
                    log.warn("Rate limit not checked, the store did not answer: {}", e.toString());
                    return Mono.just(new Window(0, Duration.ZERO));
                });
    }

    private Mono<Void> refuse(ServerWebExchange exchange, Caller caller, Window window) {
        long seconds = Math.max(1, (window.remaining().toMillis() + 999) / 1000);
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        // The first refusal of a window is an event for the audit trail; the flood after it is not.
        Mono<Void> recorded = window.count() == requests + 1
                ? events.record(SecurityEvents.Kind.RATE_LIMITED, exchange, caller.who(),
                        Map.of("limit", requests, "windowSeconds", this.window.toSeconds()))
                : Mono.empty();
        return recorded.then(problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "More than " + requests
                + " requests in " + this.window.toSeconds() + " s; try again in " + seconds + " s."));
    }

    /** Windows that have ended are of no more use; a TTL index would do this on MongoDB, not on every store. */
    @Scheduled(fixedDelayString = "${supervision.rate-limit.cleanup-interval:5m}")
    void forgetEndedWindows() {
        mongo.remove(Query.query(where("expiresAt").lt(Date.from(clock.instant()))), COLLECTION)
                .onErrorComplete().block(Duration.ofSeconds(30));
    }

    private static String address(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    private record Caller(String key, Authentication who) {
    }

    private record Window(long count, Duration remaining) {
    }
}
