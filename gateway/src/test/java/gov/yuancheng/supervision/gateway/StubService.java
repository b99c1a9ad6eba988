package gov.yuancheng.supervision.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A service behind the gateway that answers every request with a page of one task (a path with {@code /forbidden}
 * with 403) and remembers what it got.
 */
final class StubService {

    /** One request as the service received it; header names in lower case. */
    record Received(String method, String uri, Map<String, List<String>> headers, String body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(",", values);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private StubService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] page = """
                {"content":[{"id":"t-1","title":"推进高新区扩园","leadUnit":"dept-fgj","deadline":"2099-06-30"}],
                 "page":{"size":20,"number":0,"totalElements":1,"totalPages":1}}
                """.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
            if (exchange.getRequestURI().getPath().contains("/forbidden")) {
                exchange.sendResponseHeaders(403, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.start();
    }

    static StubService start() {
        try {
            return new StubService();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The request that reached the service, or null if none did. */
    Received lastRequest() {
        return received.isEmpty() ? null : received.get(received.size() - 1);
    }

    void forget() {
        received.clear();
    }

    /** An address where nothing listens: connecting to it is refused. */
    static String nobodyListening() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
