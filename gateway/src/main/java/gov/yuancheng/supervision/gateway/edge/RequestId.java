package gov.yuancheng.supervision.gateway.edge;

import java.util.UUID;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Every request carries an {@code X-Request-Id}, to the services and back to the caller, and every problem the
 * gateway writes names it: the number a clerk quotes when something went wrong. A caller's own id is kept when it
 * looks like one, so that a client can follow its calls; anything else is replaced.
 */
@Component
public class RequestId implements WebFilter, Ordered {

    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = RequestId.class.getName();
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

    public static String of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String given = exchange.getRequest().getHeaders().getFirst(HEADER);
        String id = given != null && ACCEPTABLE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        exchange.getAttributes().put(ATTRIBUTE, id);
        exchange.getResponse().getHeaders().set(HEADER, id);
        return chain.filter(exchange.mutate().request(request -> request.headers(headers -> headers.set(HEADER, id))).build());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
