package gov.yuancheng.supervision.gateway.security;

import java.net.URI;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity.HeaderSpec;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.stereotype.Component;

/**
 * The response headers of every answer: the page loads scripts only from the gateway (no inline script, so an
 * injected {@code <script>} does not run), may not be framed, sends no referrer to other sites, and asks for no
 * camera or location. HSTS is sent on TLS connections only, as Spring Security does by default; behind a TLS-ending
 * load balancer the forwarded protocol makes the connection count as TLS.
 */
@Component
class SecureHeaders implements Customizer<HeaderSpec> {

    private final String policy;

    SecureHeaders(@Value("${supervision.keycloak.issuer}") String issuer) {
        URI keycloak = URI.create(issuer);
        String keycloakOrigin = keycloak.getScheme() + "://" + keycloak.getAuthority();
        // form-action names Keycloak: the logout form is redirected there, and browsers check redirects of forms too.
        this.policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
                + "form-action 'self' " + keycloakOrigin + "; frame-ancestors 'none'";
    }

    @Override
    public void customize(HeaderSpec headers) {
        headers.contentSecurityPolicy(csp -> csp.policyDirectives(policy))
                .frameOptions(frames -> frames.mode(org.springframework.security.web.server.header
                        .XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                .permissionsPolicy(permissions -> permissions.policy("camera=(), microphone=(), geolocation=()"))
                .hsts(hsts -> hsts.maxAge(Duration.ofDays(365)).includeSubdomains(true));
    }
}
