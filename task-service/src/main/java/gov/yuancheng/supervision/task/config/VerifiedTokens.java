package gov.yuancheng.supervision.task.config;

import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.stereotype.Component;

/**
 * Remembers the access tokens already verified until they expire, so that a clerk's next request with the same
 * token skips the RSA signature check, which was a fifth of the service's CPU under load. Only the exact token text
 * is remembered: a forged or altered token is different text and is verified in full; a token that failed is never
 * remembered; expiry is checked again on every use. Wraps the decoder that Spring Boot configures (signature,
 * issuer, audience, expiry).
 */
@Component
class VerifiedTokens implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof JwtDecoder decoder && !(bean instanceof Remembering) ? new Remembering(decoder) : bean;
    }

    static final class Remembering implements JwtDecoder {

        private final JwtDecoder decoder;
        // Keycloak's access tokens live 5 minutes; a few thousand users at once are a few megabytes.
        private final Cache<String, Jwt> verified = Caffeine.newBuilder().maximumSize(20_000)
                .expireAfterWrite(Duration.ofMinutes(10)).build();

        Remembering(JwtDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public Jwt decode(String token) {
            Jwt known = verified.getIfPresent(token);
            if (known != null && known.getExpiresAt() != null && Instant.now().isBefore(known.getExpiresAt())) {
                return known;
            }
            Jwt jwt = decoder.decode(token);
            verified.put(token, jwt);
            return jwt;
        }
    }
}
