package gov.yuancheng.supervision.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The few endpoints of Keycloak's supervision realm that a login by the gateway touches: token (authorization code
 * with a PKCE check), JWKS and userinfo. The login page itself is {@link #signIn}: the user "types the password" and
 * the browser is sent back to the gateway with a code.
 */
final class FakeKeycloak {

    static final String CLIENT_ID = "supervision-gateway";
    static final String CLIENT_SECRET = "supervision-gateway-dev-secret";
    private static final String REALM = "/realms/supervision";
    private static final String OIDC = REALM + "/protocol/openid-connect";

    record User(String username, String name, String unit, List<String> roles) {

        String subject() {
            return UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString();
        }
    }

    private record Grant(User user, String redirectUri, String codeChallenge, String nonce) {
    }

    private final RSAKey key;
    private final HttpServer server;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, User> accessTokens = new ConcurrentHashMap<>();
    private final Map<User, String> lastAccessTokens = new ConcurrentHashMap<>();

    private FakeKeycloak() throws IOException, JOSEException {
        key = new RSAKeyGenerator(2048).keyID("fake-keycloak").generate();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext(OIDC + "/certs", exchange -> respond(exchange, 200, jwks));
        server.createContext(OIDC + "/token", this::token);
        server.createContext(OIDC + "/userinfo", this::userInfo);
        server.start();
    }

    static FakeKeycloak start() {
        try {
            return new FakeKeycloak();
        }
        catch (IOException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What KEYCLOAK_URL points at. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String issuer() {
        return url() + REALM;
    }

    /** The user signs in on the login page the gateway sent the browser to; returns where Keycloak sends it back. */
    URI signIn(URI authorizationRequest, User user) {
        Map<String, String> request = form(authorizationRequest.getRawQuery());
        if (!CLIENT_ID.equals(request.get("client_id")) || !"code".equals(request.get("response_type"))) {
            throw new IllegalArgumentException("Not an authorization request of the gateway: " + authorizationRequest);
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(user, request.get("redirect_uri"), request.get("code_challenge"), request.get("nonce")));
        return URI.create(request.get("redirect_uri") + "?code=" + code + "&state=" + encode(request.get("state")));
    }

    /** The access token Keycloak issued last for this user, for comparing with what a service received. */
    String lastAccessTokenOf(User user) {
        return lastAccessTokens.get(user);
    }

    private void token(HttpExchange exchange) throws IOException {
        String client = Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        if (!("Basic " + client).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, Map.of("error", "invalid_client"));
            return;
        }
        Map<String, String> request = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = codes.remove(request.getOrDefault("code", ""));
        if (!"authorization_code".equals(request.get("grant_type")) || grant == null
                || !grant.redirectUri().equals(request.get("redirect_uri"))
                || request.get("code_verifier") == null
                || !grant.codeChallenge().equals(s256(request.get("code_verifier")))) {
            respond(exchange, 400, Map.of("error", "invalid_grant"));
            return;
        }
        String accessToken = "access-" + UUID.randomUUID();
        accessTokens.put(accessToken, grant.user());
        lastAccessTokens.put(grant.user(), accessToken);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", accessToken);
        response.put("token_type", "Bearer");
        response.put("expires_in", 300);
        response.put("refresh_token", "refresh-" + UUID.randomUUID());
        response.put("id_token", idToken(grant));
        response.put("scope", "openid profile email");
        respond(exchange, 200, response);
    }

    private void userInfo(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        User user = authorization == null ? null : accessTokens.get(authorization.replaceFirst("^Bearer ", ""));
        if (user == null) {
            respond(exchange, 401, Map.of("error", "invalid_token"));
            return;
        }
        respond(exchange, 200, Map.of("sub", user.subject(), "preferred_username", user.username(), "name", user.name(),
                "org_unit", user.unit(), "roles", user.roles()));
    }

    private String idToken(Grant grant) {
        Instant now = Instant.now();
        User user = grant.user();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(user.subject())
                .audience(CLIENT_ID)
                .claim("azp", CLIENT_ID)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("nonce", grant.nonce())
                .claim("preferred_username", user.username())
                .claim("name", user.name())
                .claim("org_unit", user.unit())
                .claim("roles", user.roles())
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> form(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : encoded == null ? new String[0] : encoded.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, Map<String, ?> json) throws IOException {
        respond(exchange, status, JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, byte[] json) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }
}
