package gov.yuancheng.supervision.notify;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/** A webhook endpoint that records what it receives and fails the first {@code failures} requests. */
public final class WebhookReceiver {

    public record Received(Map<String, String> headers, byte[] body) {
    }

    private static WebhookReceiver instance;
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
            if (status == 204) {
                received.add(new Received(Map.of(
                        "signature", String.valueOf(exchange.getRequestHeaders().getFirst("X-Supervision-Signature")),
                        "timestamp", String.valueOf(exchange.getRequestHeaders().getFirst("X-Supervision-Timestamp")),
                        "delivery", String.valueOf(exchange.getRequestHeaders().getFirst("X-Supervision-Delivery"))),
                        body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public static synchronized WebhookReceiver get() {
        if (instance == null) {
            try {
                instance = new WebhookReceiver();
            }
            catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public void failNext(int count) {
        failuresLeft.set(count);
    }

    public List<Received> received() {
        return received;
    }
}
