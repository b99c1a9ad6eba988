package gov.yuancheng.supervision.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;

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
        server = issuer.serveKeys(port);
    }

    /**
     * Walks a service through the outage: while the keys cannot be fetched, a valid token is answered with 503
     * problem+json and {@code Retry-After} (it may well be valid) and a request without one with 401; once the keys
     * are up, the same token is served and a forged one refused with 401 problem+json.
     */
    public void check(String url, String token, String forged) throws Exception {
        HttpResponse<String> down = get(url, token);
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        assertThat(down.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(down.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(down.body()).contains("Keycloak");
        assertThat(get(url, null).statusCode()).isEqualTo(401);

        up();

        assertThat(get(url, token).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = get(url, forged);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
