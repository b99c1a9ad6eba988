package gov.yuancheng.supervision.task.config;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifiedTokensTest {

    final List<String> verifications = new ArrayList<>();
    Instant expiresAt = Instant.now().plusSeconds(300);

    /** Stands in for the real decoder: "good-*" tokens verify, anything else fails. */
    final JwtDecoder real = token -> {
        verifications.add(token);
        if (!token.startsWith("good-")) {
            throw new BadJwtException("forged");
        }
        return Jwt.withTokenValue(token).header("alg", "RS256").subject(token).issuedAt(expiresAt.minusSeconds(300))
                .expiresAt(expiresAt).build();
    };

    final JwtDecoder decoder = (JwtDecoder) new VerifiedTokens().postProcessAfterInitialization(real, "jwtDecoder");

    @Test
    void aTokenIsVerifiedOnceWhileItIsValid() {
        assertThat(decoder.decode("good-a").getSubject()).isEqualTo("good-a");
        assertThat(decoder.decode("good-a").getSubject()).isEqualTo("good-a");
        assertThat(decoder.decode("good-b").getSubject()).isEqualTo("good-b");

        assertThat(verifications).containsExactly("good-a", "good-b");
    }

    @Test
    void aTokenThatFailsIsVerifiedEveryTime() {
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);

        assertThat(verifications).containsExactly("forged", "forged");
    }

    @Test
    void anExpiredTokenIsVerifiedAgain() {
        expiresAt = Instant.now().minusSeconds(1);
        decoder.decode("good-old");
        decoder.decode("good-old");

        assertThat(verifications).containsExactly("good-old", "good-old");
    }

    @Test
    void theWrappedDecoderIsNotWrappedTwice() {
        assertThat(new VerifiedTokens().postProcessAfterInitialization(decoder, "jwtDecoder")).isSameAs(decoder);
        assertThat(new VerifiedTokens().postProcessAfterInitialization("other bean", "other")).isEqualTo("other bean");
    }
}
