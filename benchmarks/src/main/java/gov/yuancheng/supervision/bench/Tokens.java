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
    private final Map<String, Object> signingIn = new ConcurrentHashMap<>();

    Tokens(String keycloak) {
        this.keycloak = keycloak;
    }

    /**
     * A token at most 200 s old; if Keycloak does not answer, the one held (while it lasts). One thread at a time signs
     * a user in: with brute-force protection on, Keycloak refuses a user's concurrent sign-ins but one
     * ({@code invalid_grant}), and the clerks of a load share their users.
     */
    String get(String user) throws Exception {
        Token held = tokens.get(user);
        if (young(held)) {
            return held.value;
        }
        synchronized (signingIn.computeIfAbsent(user, u -> new Object())) {
            held = tokens.get(user);
            if (young(held)) {
                return held.value; // another thread signed the user in meanwhile
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
    }

    private static boolean young(Token token) {
        return token != null && System.currentTimeMillis() - token.fetchedAt < 200_000;
    }

    /** A new token for the user, signed in now (after any other thread's sign-in of the same user). */
    String fresh(String user) throws Exception {
        synchronized (signingIn.computeIfAbsent(user, u -> new Object())) {
            String value = TaskServiceLoad.token(keycloak, user);
            tokens.put(user, new Token(value, System.currentTimeMillis()));
            return value;
        }
    }

    /** The {@code exp} claim of a token, in epoch seconds. */
    static long expiry(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return TaskServiceLoad.json.readTree(payload).path("exp").asLong();
    }
}
