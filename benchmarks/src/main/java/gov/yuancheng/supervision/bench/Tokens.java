package gov.yuancheng.supervision.bench;

import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Demo users' access tokens from Keycloak's password grant, fetched again before they expire (300 s). */
final class Tokens {

    private record Token(String value, long fetchedAt) {
    }

    private final String keycloak;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    Tokens(String keycloak) {
        this.keycloak = keycloak;
    }

    /** A token at most 200 s old; if Keycloak does not answer, the one held (while it lasts). */
    String get(String user) throws Exception {
        Token held = tokens.get(user);
        if (held != null && System.currentTimeMillis() - held.fetchedAt < 200_000) {
            return held.value;
        }
        try {
            return fresh(user);
        }
        catch (Exception e) {
            if (held != null) {
                return held.value;
            }
            throw e;
        }
    }

    String fresh(String user) throws Exception {
        String value = TaskServiceLoad.token(keycloak, user);
        tokens.put(user, new Token(value, System.currentTimeMillis()));
        return value;
    }

    /** The {@code exp} claim of a token, in epoch seconds. */
    static long expiry(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return TaskServiceLoad.json.readTree(payload).path("exp").asLong();
    }
}
