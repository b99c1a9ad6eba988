package gov.yuancheng.supervision.gateway.session;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.ReactiveSessionRepositoryCustomizer;
import org.springframework.session.data.mongo.ReactiveMongoSessionRepository;
import org.springframework.session.data.mongo.config.annotation.web.reactive.EnableMongoWebSession;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.WebSessionIdResolver;

/**
 * Browser sessions (the signed-in user, their Keycloak tokens, the CSRF token) live in the {@code gateway_sessions}
 * collection of the gateway's MongoDB database, so that any replica can answer any request and a restarted replica
 * signs nobody out. MongoDB rather than Redis: it is already the system's store, backed up and replicated, and
 * adds no fifth engine for operators to run.
 */
@Configuration
@EnableMongoWebSession(collectionName = "gateway_sessions")
class SessionStore {

    @Bean
    ReactiveSessionRepositoryCustomizer<ReactiveMongoSessionRepository> sessionTimeout(
            @Value("${supervision.session.timeout:30m}") Duration timeout) {
        return repository -> repository.setDefaultMaxInactiveInterval(timeout);
    }

    /** {@code SESSION}, HttpOnly, SameSite=Lax; Secure when the gateway is reached over TLS only. */
    @Bean
    WebSessionIdResolver webSessionIdResolver(@Value("${supervision.session.secure-cookie:false}") boolean secure) {
        var cookies = new CookieWebSessionIdResolver();
        cookies.addCookieInitializer(cookie -> cookie.secure(secure));
        return cookies;
    }
}
