package gov.yuancheng.supervision.gateway.routing;

import java.net.InetSocketAddress;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The services record the first X-Forwarded-For entry as the client address of every change, for the audit trail.
 * Spring Cloud Gateway writes X-Forwarded-* only when {@code trusted-proxies} is set, and otherwise strips them; so
 * the gateway, the services' only entrance, states the address it sees itself and replaces whatever the client
 * claimed. Behind a load balancer, TRUSTED_PROXIES makes that address the one the balancer reports.
 */
@Component
class ClientAddressHeadersFilter implements HttpHeadersFilter, Ordered {

    static final String X_FORWARDED_FOR = "X-Forwarded-For";

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        HttpHeaders headers = HttpHeaders.copyOf(input);
        InetSocketAddress client = exchange.getRequest().getRemoteAddress();
        if (client != null && client.getAddress() != null) {
            headers.set(X_FORWARDED_FOR, client.getAddress().getHostAddress());
        }
        else {
            headers.remove(X_FORWARDED_FOR);
        }
        return headers;
    }

    /** After the gateway's own forwarded-headers filters, so that this one has the last word. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
