package gov.yuancheng.supervision.gateway.security;

import reactor.core.publisher.Mono;

import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.csrf.XorServerCsrfTokenRequestAttributeHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * The page's script reads the XSRF-TOKEN cookie and sends it back as it is in X-XSRF-TOKEN, so a header is compared
 * raw; a token rendered into HTML (Spring's generated login and logout pages) stays masked against BREACH.
 */
final class SpaCsrfTokenRequestHandler extends ServerCsrfTokenRequestAttributeHandler {

    private final XorServerCsrfTokenRequestAttributeHandler masked = new XorServerCsrfTokenRequestAttributeHandler();

    @Override
    public void handle(ServerWebExchange exchange, Mono<CsrfToken> csrfToken) {
        masked.handle(exchange, csrfToken);
    }

    @Override
    public Mono<String> resolveCsrfTokenValue(ServerWebExchange exchange, CsrfToken csrfToken) {
        return exchange.getRequest().getHeaders().containsHeader(csrfToken.getHeaderName())
                ? super.resolveCsrfTokenValue(exchange, csrfToken)
                : masked.resolveCsrfTokenValue(exchange, csrfToken);
    }
}
