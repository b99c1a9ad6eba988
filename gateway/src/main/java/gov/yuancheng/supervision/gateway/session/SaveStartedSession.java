package gov.yuancheng.supervision.gateway.session;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Saves a browser's session before its request is forwarded, so that a token refreshed by the token relay is in the
 * shared store before another replica needs it. Unlike the gateway's own {@code SaveSession} filter it leaves
 * sessions that were never started alone: an API call with a bearer token must not write a session per request.
 */
@Component
class SaveStartedSession implements GlobalFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return exchange.getSession()
                .flatMap(session -> session.isStarted() ? session.save() : Mono.empty())
                .then(chain.filter(exchange));
    }

    /** After the token relay, which runs as a route filter and may put a refreshed token into the session. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1;
    }
}
