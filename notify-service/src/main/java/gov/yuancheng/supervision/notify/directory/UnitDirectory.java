package gov.yuancheng.supervision.notify.directory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Members of units and e-mail addresses of users, read from Keycloak's admin REST API with the
 * {@code supervision-notify} service account (client credentials; realm-management view-users and
 * query-groups). A unit is the group whose attribute {@code unit_code} is the unit's code.
 *
 * <p>Plain RestClient rather than {@code keycloak-admin-client}: that client brings RESTEasy and Jackson 2
 * as a second JAX-RS and JSON stack into a Boot 4 (Jackson 3) service, for three GET requests.
 *
 * <p>Answers are cached; when Keycloak is down a stale answer is used, and without one the caller gets
 * {@link DirectoryUnavailableException} and retries later (notices still reach the unit's inbox).
 */
@Component
public class UnitDirectory {

    private final RestClient http;
    private final String realm;
    private final String clientId;
    private final String clientSecret;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached<List<Person>>> units = new ConcurrentHashMap<>();
    private final Map<String, Cached<Optional<Person>>> users = new ConcurrentHashMap<>();
    private volatile Cached<String> token;

    private record Cached<T>(T value, Instant expires) {
    }

    public UnitDirectory(RestClient.Builder builder, Clock clock,
            @Value("${supervision.notify.keycloak.url:http://127.0.0.1:8180}") String url,
            @Value("${supervision.notify.keycloak.realm:supervision}") String realm,
            @Value("${supervision.notify.keycloak.client-id:supervision-notify}") String clientId,
            @Value("${supervision.notify.keycloak.client-secret:supervision-notify-dev-secret}") String clientSecret,
            @Value("${supervision.notify.keycloak.cache-ttl:5m}") Duration ttl) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(Duration.ofSeconds(2));
        requests.setReadTimeout(Duration.ofSeconds(5));
        this.http = builder.clone().baseUrl(url).requestFactory(requests).build();
        this.realm = realm;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.ttl = ttl;
        this.clock = clock;
    }

    public List<Person> members(String unitCode) {
        return cached(units, unitCode, () -> {
            JsonNode groups = get("/admin/realms/{realm}/groups?q=unit_code:{code}&briefRepresentation=false&exact=true",
                    realm, unitCode);
            String groupId = findGroup(groups, unitCode);
            if (groupId == null) {
                groupId = walk(get("/admin/realms/{realm}/groups?briefRepresentation=false&max=1000", realm), unitCode);
            }
            if (groupId == null) {
                return List.of();
            }
            List<Person> people = new ArrayList<>();
            for (JsonNode user : get("/admin/realms/{realm}/groups/{id}/members?briefRepresentation=true&max=1000",
                    realm, groupId)) {
                if (user.path("enabled").asBoolean(true)) {
                    people.add(person(user));
                }
            }
            return List.copyOf(people);
        });
    }

    public Optional<Person> user(String username) {
        return cached(users, username, () -> {
            for (JsonNode user : get("/admin/realms/{realm}/users?username={u}&exact=true&briefRepresentation=true",
                    realm, username)) {
                if (username.equalsIgnoreCase(user.path("username").asString(""))) {
                    return Optional.of(person(user));
                }
            }
            return Optional.empty();
        });
    }

    private static Person person(JsonNode user) {
        String name = (user.path("firstName").asString("") + " " + user.path("lastName").asString("")).strip();
        String email = user.path("email").asString("");
        return new Person(user.path("username").asString(), email.isBlank() ? null : email,
                name.isBlank() ? user.path("username").asString() : name);
    }

    /** The group search answers with the matching group inside its parents; walk down to it. */
    private static String findGroup(JsonNode groups, String unitCode) {
        for (JsonNode group : groups) {
            for (JsonNode code : group.path("attributes").path("unit_code")) {
                if (unitCode.equals(code.asString())) {
                    return group.path("id").asString();
                }
            }
            String inner = findGroup(group.path("subGroups"), unitCode);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    /** Slower path when attribute search finds nothing: walk the tree, asking for children where they were left out. */
    private String walk(JsonNode groups, String unitCode) {
        String found = findGroup(groups, unitCode);
        if (found != null) {
            return found;
        }
        for (JsonNode group : groups) {
            if (group.path("subGroupCount").asInt(0) > 0 && group.path("subGroups").isEmpty()) {
                found = walk(get("/admin/realms/{realm}/groups/{id}/children?briefRepresentation=false&max=1000", realm,
                        group.path("id").asString()), unitCode);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private interface Lookup<T> {
        T load();
    }

    private <T> T cached(Map<String, Cached<T>> cache, String key, Lookup<T> lookup) {
        Instant now = clock.instant();
        Cached<T> hit = cache.get(key);
        if (hit != null && hit.expires().isAfter(now)) {
            return hit.value();
        }
        try {
            T value = lookup.load();
            cache.put(key, new Cached<>(value, now.plus(ttl)));
            return value;
        }
        catch (RestClientException | IllegalStateException e) {
            if (hit != null) {
                return hit.value();
            }
            throw new DirectoryUnavailableException("Keycloak did not answer for " + key + ": " + e.getMessage(), e);
        }
    }

    private JsonNode get(String path, Object... variables) {
        JsonNode body = http.get().uri(path, variables).header("Authorization", "Bearer " + token())
                .accept(MediaType.APPLICATION_JSON).retrieve().body(JsonNode.class);
        if (body == null) {
            throw new IllegalStateException("empty answer");
        }
        return body;
    }

    private String token() {
        Instant now = clock.instant();
        Cached<String> current = token;
        if (current != null && current.expires().isAfter(now)) {
            return current.value();
        }
        var form = new LinkedMultiValueMap<String, String>();
        form.add("grant_type", "client_credentials");
        form.add("client_id", clientId);
        form.add("client_secret", clientSecret);
        JsonNode answer = http.post().uri("/realms/{realm}/protocol/openid-connect/token", realm)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(form).retrieve().body(JsonNode.class);
        if (answer == null || answer.path("access_token").isMissingNode()) {
            throw new IllegalStateException("no access token");
        }
        long seconds = Math.max(10, answer.path("expires_in").asLong(60) - 10);
        token = new Cached<>(answer.path("access_token").asString(), now.plusSeconds(seconds));
        return token.value();
    }
}
