package gov.yuancheng.supervision.notify;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keycloak's token endpoint and the three admin REST calls notify-service makes, in Keycloak 26's shapes
 * (group search by attribute answers with the hierarchy; members are user representations). It refuses a
 * wrong client secret or a missing bearer token, and can be switched "down" to answer 503.
 */
public final class KeycloakStub {

    static final String SECRET = "supervision-notify-dev-secret";
    private static KeycloakStub instance;

    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, List<Map<String, Object>>> units = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> users = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean down;

    private KeycloakStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static synchronized KeycloakStub get() {
        if (instance == null) {
            try {
                instance = new KeycloakStub();
            }
            catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void down(boolean isDown) {
        down = isDown;
    }

    public int requests() {
        return requests.get();
    }

    public void member(String unit, String username, String email) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", "id-" + username);
        user.put("username", username);
        user.put("firstName", "测");
        user.put("lastName", username);
        if (email != null) {
            user.put("email", email);
        }
        user.put("enabled", true);
        users.put(username, user);
        if (unit != null) {
            units.computeIfAbsent(unit, u -> new ArrayList<>()).add(user);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        if (down) {
            send(exchange, 503, Map.of("error", "unavailable"));
            return;
        }
        if (path.equals("/realms/supervision/protocol/openid-connect/token")) {
            Map<String, String> form = query(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!"client_credentials".equals(form.get("grant_type")) || !SECRET.equals(form.get("client_secret"))) {
                send(exchange, 401, Map.of("error", "unauthorized_client"));
                return;
            }
            send(exchange, 200, Map.of("access_token", "stub-token", "expires_in", 300, "token_type", "Bearer"));
            return;
        }
        if (!"Bearer stub-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, Map.of("error", "HTTP 401 Unauthorized"));
            return;
        }
        if (path.equals("/admin/realms/supervision/groups") && query.containsKey("q")) {
            String code = query.get("q").substring("unit_code:".length());
            Map<String, Object> unit = Map.of("id", "group-" + code, "name", code, "path", "/departments/" + code,
                    "attributes", Map.of("unit_code", List.of(code)), "subGroups", List.of(), "subGroupCount", 0);
            Map<String, Object> parent = Map.of("id", "group-departments", "name", "departments", "path", "/departments",
                    "attributes", Map.of("unit_name", List.of("区直部门")), "subGroups", List.of(unit), "subGroupCount", 1);
            send(exchange, 200, units.containsKey(code) ? List.of(parent) : List.of());
            return;
        }
        if (path.startsWith("/admin/realms/supervision/groups/group-") && path.endsWith("/members")) {
            String code = path.substring("/admin/realms/supervision/groups/group-".length(), path.length() - "/members".length());
            send(exchange, 200, units.getOrDefault(code, List.of()));
            return;
        }
        if (path.equals("/admin/realms/supervision/users")) {
            Map<String, Object> user = users.get(query.getOrDefault("username", ""));
            send(exchange, 200, user == null ? List.of() : List.of(user));
            return;
        }
        if (path.equals("/admin/realms/supervision/groups")) {
            send(exchange, 200, List.of());
            return;
        }
        send(exchange, 404, Map.of("error", "not found"));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> map = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return map;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            map.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return map;
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
