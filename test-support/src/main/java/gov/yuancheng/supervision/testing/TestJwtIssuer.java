package gov.yuancheng.supervision.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * Issues tokens shaped like the supervision realm's (flat {@code roles}, {@code org_unit}, audience
 * {@code supervision-api}) and serves their public key as a JWKS over HTTP, so that a service under
 * test validates them with its production decoder. Keycloak's own tokens are used end to end.
 */
public final class TestJwtIssuer {

    public static final String AUDIENCE = "supervision-api";
    private static TestJwtIssuer instance;

    private final RSAKey key;
    private final RSAKey strangerKey;
    private final HttpServer server;

    private TestJwtIssuer() throws IOException, JOSEException {
        key = new RSAKeyGenerator(2048).keyID("test-key").generate();
        strangerKey = new RSAKeyGenerator(2048).keyID("test-key").generate();
        server = serveKeys(0);
    }

    /** Serves the public key set at {@code /certs} on a loopback port (0: any free one), started. */
    HttpServer serveKeys(int port) throws IOException {
        HttpServer keys = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        keys.createContext("/certs", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        keys.start();
        return keys;
    }

    public static synchronized TestJwtIssuer get() {
        if (instance == null) {
            try {
                instance = new TestJwtIssuer();
            }
            catch (IOException | JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/supervision";
    }

    public String jwksUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/certs";
    }

    public String token(String username, String unit, String... roles) {
        return sign(key, claims(username, unit, List.of(roles), AUDIENCE, Instant.now().plus(Duration.ofMinutes(5))));
    }

    public String expiredToken(String username, String unit, String... roles) {
        return sign(key, claims(username, unit, List.of(roles), AUDIENCE, Instant.now().minus(Duration.ofMinutes(10))));
    }

    public String wrongAudienceToken(String username, String unit, String... roles) {
        return sign(key, claims(username, unit, List.of(roles), "account", Instant.now().plus(Duration.ofMinutes(5))));
    }

    /** Same key id and claims, signed with a key the issuer never published. */
    public String forgedToken(String username, String unit, String... roles) {
        return sign(strangerKey,
                claims(username, unit, List.of(roles), AUDIENCE, Instant.now().plus(Duration.ofMinutes(5))));
    }

    private JWTClaimsSet claims(String username, String unit, List<String> roles, String audience, Instant expiry) {
        Instant issued = expiry.minus(Duration.ofMinutes(5));
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString())
                .audience(audience)
                .issueTime(Date.from(issued))
                .notBeforeTime(Date.from(issued))
                .expirationTime(Date.from(expiry))
                .jwtID(UUID.randomUUID().toString())
                .claim("preferred_username", username)
                .claim("name", username)
                .claim("roles", roles);
        if (unit != null) {
            claims.claim("org_unit", unit);
        }
        return claims.build();
    }

    private static String sign(RSAKey signingKey, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                    claims);
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
