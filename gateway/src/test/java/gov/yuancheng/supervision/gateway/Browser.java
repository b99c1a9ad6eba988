package gov.yuancheng.supervision.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A browser as far as the gateway can tell: it keeps cookies, and follows no redirect unless told to. */
final class Browser {

    // HTTP/1.1 and a timeout: an unanswered request fails the test instead of hanging the build.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(java.time.Duration.ofSeconds(5)).build();
    private final String base;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    Browser(int port) {
        base = "http://127.0.0.1:" + port;
    }

    /** The same browser, cookies and all, talking to another gateway replica. */
    Browser at(int otherPort) {
        Browser other = new Browser(otherPort);
        other.cookies.putAll(cookies);
        return other;
    }

    String base() {
        return base;
    }

    String cookie(String name) {
        return cookies.get(name);
    }

    /** A GET of a path of the gateway, or of the absolute address a redirect named; headers as name, value, ... */
    HttpResponse<String> get(String pathOrUri, String... headers) {
        return send(request(pathOrUri, headers).GET());
    }

    HttpResponse<String> post(String path, String json, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST of any body: a publisher without a known length goes out chunked. */
    HttpResponse<String> post(String path, HttpRequest.BodyPublisher body, String contentType, String... headers) {
        return send(request(path, headers).header("Content-Type", contentType).POST(body));
    }

    private HttpRequest.Builder request(String pathOrUri, String... headers) {
        var builder = HttpRequest.newBuilder(URI.create(pathOrUri.startsWith("http") ? pathOrUri : base + pathOrUri))
                .timeout(java.time.Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        if (!cookies.isEmpty()) {
            builder.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                    .collect(Collectors.joining("; ")));
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            response.headers().allValues("Set-Cookie").forEach(this::remember);
            return response;
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void remember(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        String name = pair.substring(0, pair.indexOf('='));
        String value = pair.substring(pair.indexOf('=') + 1);
        if (value.isEmpty() || setCookie.toLowerCase(Locale.ROOT).contains("max-age=0")) {
            cookies.remove(name);
        }
        else {
            cookies.put(name, value);
        }
    }
}
