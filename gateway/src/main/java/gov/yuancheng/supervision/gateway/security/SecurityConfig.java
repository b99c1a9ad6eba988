package gov.yuancheng.supervision.gateway.security;

import java.util.List;
import java.util.Map;
import java.util.Set;

import gov.yuancheng.supervision.gateway.events.SecurityEvents;
import gov.yuancheng.supervision.gateway.events.SecurityEvents.Kind;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.web.server.DelegatingServerAuthenticationEntryPoint;
import org.springframework.security.web.server.DelegatingServerAuthenticationEntryPoint.DelegateEntry;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.logout.ServerLogoutSuccessHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.savedrequest.WebSessionServerRequestCache;
import org.springframework.security.web.server.util.matcher.MediaTypeServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;

/**
 * Two ways in. API clients send a Keycloak access token as a bearer token and are checked on every request, with no
 * session and so no CSRF. Browsers sign in at Keycloak (authorization code with PKCE) and then hold a session
 * cookie, so every state-changing request of theirs needs the CSRF token.
 */
@Configuration
@EnableWebFluxSecurity
class SecurityConfig {

    private static final String[] PUBLIC = { "/", "/index.html", "/favicon.ico", "/assets/**", "/webjars/**",
            "/actuator/health/**", "/actuator/info", "/actuator/prometheus" };

    @Bean
    @Order(1)
    SecurityWebFilterChain bearerTokens(ServerHttpSecurity http, ProblemSecurityHandlers problems,
            SecureHeaders secureHeaders) {
        return http
                .securityMatcher(SecurityConfig::hasBearerToken)
                .headers(secureHeaders)
                .authorizeExchange(exchanges -> exchanges.pathMatchers(PUBLIC).permitAll().anyExchange().authenticated())
                .oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .build();
    }

    @Bean
    @Order(2)
    SecurityWebFilterChain browserSessions(ServerHttpSecurity http, ProblemSecurityHandlers problems,
            ServerOAuth2AuthorizationRequestResolver pkceAuthorizationRequests, ServerLogoutSuccessHandler keycloakLogout,
            SecureHeaders secureHeaders, SecurityEvents events) {
        var requestCache = new WebSessionServerRequestCache();
        var backToThePage = new RedirectServerAuthenticationSuccessHandler();
        backToThePage.setRequestCache(requestCache);
        var toTheFailurePage = new RedirectServerAuthenticationFailureHandler("/?login=failed");
        var login = new RedirectServerAuthenticationEntryPoint(KeycloakLoginConfig.LOGIN);
        login.setRequestCache(requestCache);
        // Scripts and API calls get a 401 they can act on; a redirect to Keycloak's login page would only break them.
        var entryPoint = new DelegatingServerAuthenticationEntryPoint(List.of(new DelegateEntry(wantsProblem(), problems)));
        entryPoint.setDefaultEntryPoint(login);

        return http
                .authorizeExchange(exchanges -> exchanges.pathMatchers(PUBLIC).permitAll().anyExchange().authenticated())
                .oauth2Login(oauth2 -> oauth2.authorizationRequestResolver(pkceAuthorizationRequests)
                        .authenticationSuccessHandler((exchange, who) -> events
                                .record(Kind.LOGIN_SUCCEEDED, exchange.getExchange(), who, Map.of())
                                .then(backToThePage.onAuthenticationSuccess(exchange, who)))
                        .authenticationFailureHandler((exchange, failure) -> events
                                .record(Kind.LOGIN_FAILED, exchange.getExchange(), null,
                                        Map.of("reason", String.valueOf(failure.getMessage())))
                                .then(toTheFailurePage.onAuthenticationFailure(exchange, failure))))
                .headers(secureHeaders)
                .exceptionHandling(errors -> errors.authenticationEntryPoint(entryPoint).accessDeniedHandler(problems))
                .requestCache(cache -> cache.requestCache(requestCache))
                .csrf(csrf -> csrf.csrfTokenRepository(CookieServerCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new SpaCsrfTokenRequestHandler())
                        .accessDeniedHandler(problems))
                .logout(logout -> logout.logoutSuccessHandler((exchange, who) -> events
                        .record(Kind.LOGGED_OUT, exchange.getExchange(), who, Map.of())
                        .then(keycloakLogout.onLogoutSuccess(exchange, who))))
                .build();
    }

    /** Spring Security loads the CSRF token lazily; subscribing to it makes the XSRF-TOKEN cookie reach the page. */
    @Bean
    WebFilter csrfCookie() {
        return (exchange, chain) -> exchange.getAttributeOrDefault(CsrfToken.class.getName(), Mono.<CsrfToken>empty())
                .then(chain.filter(exchange));
    }

    static boolean isXhr(ServerWebExchange exchange) {
        return "XMLHttpRequest".equals(exchange.getRequest().getHeaders().getFirst("X-Requested-With"));
    }

    private static Mono<MatchResult> hasBearerToken(ServerWebExchange exchange) {
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? MatchResult.match()
                : MatchResult.notMatch();
    }

    private static ServerWebExchangeMatcher wantsProblem() {
        var json = new MediaTypeServerWebExchangeMatcher(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON);
        json.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return new OrServerWebExchangeMatcher(new PathPatternParserServerWebExchangeMatcher("/api/**"),
                exchange -> isXhr(exchange) ? MatchResult.match() : MatchResult.notMatch(), json);
    }
}
