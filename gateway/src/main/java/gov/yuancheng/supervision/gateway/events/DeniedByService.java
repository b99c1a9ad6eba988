package gov.yuancheng.supervision.gateway.events;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/** A 403 from a service (a role that may not do this) is an access-denied event too, naming the service. */
@Component
class DeniedByService implements GlobalFilter {

    private final SecurityEvents events;

    DeniedByService(SecurityEvents events) {
        this.events = events;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return chain.filter(exchange).then(Mono.defer(() -> {
            if (exchange.getResponse().getStatusCode() != HttpStatus.FORBIDDEN) {
                return Mono.empty();
            }
            Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
            return events.recordForCaller(SecurityEvents.Kind.ACCESS_DENIED, exchange,
                    Map.of("reason", "service", "service", route == null ? "unknown" : route.getId()));
        }));
    }
}
