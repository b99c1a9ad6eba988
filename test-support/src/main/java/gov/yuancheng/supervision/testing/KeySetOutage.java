package gov.yuancheng.supervision.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * The issuer's public keys at an address that is down until {@link #up()}: a service that starts while Keycloak is
 * unreachable, and has not yet fetched the keys, meets its first token with nothing to check it against.
 */
public final class KeySetOutage implements AutoCloseable {

    private final TestJwtIssuer issuer;
    private final int port;
    private HttpServer server;

    public KeySetOutage(TestJwtIssuer issuer) {
        this.issuer = issuer;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jwksUri() {
        return "http://127.0.0.1:" + port + "/certs";
    }

    /** Serves the issuer's key set from now on. */
    public synchronized void up() throws IOException {
        byte[] jwks = issuer.jwks().getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/certs", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
