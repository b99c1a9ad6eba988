package gov.yuancheng.supervision.gateway.security;

import java.net.URI;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientProperties;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientPropertiesMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.oidc.web.server.logout.OidcClientInitiatedServerLogoutSuccessHandler;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.server.WebSessionServerOAuth2AuthorizedClientRepository;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.ServerRedirectStrategy;
import org.springframework.security.web.server.authentication.logout.ServerLogoutSuccessHandler;
import org.springframework.web.server.ServerWebExchange;

/** The gateway as Keycloak's confidential client {@code supervision-gateway}: login, token storage and logout. */
@Configuration
@EnableConfigurationProperties(OAuth2ClientProperties.class)
class KeycloakLoginConfig {

    static final String LOGIN = "/oauth2/authorization/keycloak";

    /**
     * Boot maps the explicit endpoints of application.yml; issuer discovery is left out so that the gateway starts
     * while Keycloak is still starting. Login needs two things discovery would have brought: the issuer that id
     * tokens are checked against, and the end-session endpoint for logging out of Keycloak too.
     */
    @Bean
    ReactiveClientRegistrationRepository clientRegistrations(OAuth2ClientProperties properties,
            @Value("${supervision.keycloak.issuer}") String issuer) {
        List<ClientRegistration> registrations = new OAuth2ClientPropertiesMapper(properties).asClientRegistrations()
                .values().stream()
                .map(registration -> ClientRegistration.withClientRegistration(registration)
                        .issuerUri(issuer)
                        .providerConfigurationMetadata(Map.of("issuer", issuer,
                                "end_session_endpoint", issuer + "/protocol/openid-connect/logout"))
                        .build())
                .toList();
        return new InMemoryReactiveClientRegistrationRepository(registrations);
    }

    /** The user's tokens live in their session, not in one replica's memory keyed by user name (Boot's default). */
    @Bean
    ServerOAuth2AuthorizedClientRepository authorizedClients() {
        return new WebSessionServerOAuth2AuthorizedClientRepository();
    }

    /** PKCE even though the client is confidential: a stolen authorization code is then worthless. */
    @Bean
    ServerOAuth2AuthorizationRequestResolver pkceAuthorizationRequests(ReactiveClientRegistrationRepository clients) {
        var resolver = new DefaultServerOAuth2AuthorizationRequestResolver(clients);
        resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        return resolver;
    }

    /** Ends the Keycloak session too, so that the next login asks for the password again. */
    @Bean
    ServerLogoutSuccessHandler keycloakLogout(ReactiveClientRegistrationRepository clients) {
        var logout = new OidcClientInitiatedServerLogoutSuccessHandler(clients);
        logout.setPostLogoutRedirectUri("{baseUrl}/");
        logout.setLogoutSuccessUrl(URI.create("/"));
        logout.setRedirectStrategy(new ScriptFriendlyRedirectStrategy());
        return logout;
    }

    /**
     * A script's fetch cannot follow a redirect to Keycloak's origin, so it gets 202 with the address to go to;
     * a form post still gets the ordinary 302.
     */
    static final class ScriptFriendlyRedirectStrategy implements ServerRedirectStrategy {

        private final ServerRedirectStrategy browser = new DefaultServerRedirectStrategy();

        @Override
        public Mono<Void> sendRedirect(ServerWebExchange exchange, URI location) {
            if (!SecurityConfig.isXhr(exchange)) {
                return browser.sendRedirect(exchange, location);
            }
            return Mono.fromRunnable(() -> {
                exchange.getResponse().setStatusCode(HttpStatus.ACCEPTED);
                exchange.getResponse().getHeaders().setLocation(location);
            });
        }
    }
}
