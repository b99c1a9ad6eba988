package gov.yuancheng.supervision.gateway.security;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Before a browser is sent to Keycloak's login page, the gateway checks that Keycloak answers (its key set, at the
 * address the gateway itself uses; the answer is kept for a few seconds). When it does not, the user comes back to
 * the start page with a plain message instead of the browser's "cannot reach" error; users who are signed in keep
 * working until their token expires, since the services check tokens with keys they already hold.
 */
@Component
class LoginAvailability implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(LoginAvailability.class);
    private static final Duration KEEP = Duration.ofSeconds(5);

    private final WebClient keycloak;
    private final URI keys;
    private final AtomicReference<Checked> last = new AtomicReference<>(new Checked(false, Instant.EPOCH));

    LoginAvailability(@Value("${spring.security.oauth2.client.provider.keycloak.jwk-set-uri}") URI keys) {
        this.keycloak = WebClient.create();
        this.keys = keys;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith(KeycloakLoginConfig.LOGIN)) {
            return chain.filter(exchange);
        }
        return available().flatMap(up -> {
            if (up) {
                return chain.filter(exchange);
            }
            exchange.getResponse().setStatusCode(HttpStatus.FOUND);
            exchange.getResponse().getHeaders().setLocation(URI.create("/?login=unavailable"));
            return exchange.getResponse().setComplete();
        });
    }

    Mono<Boolean> available() {
        Checked checked = last.get();
        if (checked.at().plus(KEEP).isAfter(Instant.now())) {
            return Mono.just(checked.up());
        }
        return keycloak.get().uri(keys).retrieve().toBodilessEntity()
                .map(response -> true)
                .timeout(Duration.ofSeconds(2))
                .onErrorResume(e -> {
                    log.warn("Keycloak does not answer at {}: {}", keys, e.toString());
                    return Mono.just(false);
                })
                .doOnNext(up -> last.set(new Checked(up, Instant.now())));
    }

    /** Before Spring Security's filters, which would send the browser on to Keycloak. */
    @Override
    public int getOrder() {
        return -200;
    }

    private record Checked(boolean up, Instant at) {
    }
}
