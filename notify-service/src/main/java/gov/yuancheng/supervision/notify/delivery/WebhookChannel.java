package gov.yuancheng.supervision.notify.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Posts each notification as JSON to an outbound webhook (a government IM platform's robot, say).
 * The receiver checks {@code X-Supervision-Signature: sha256=<hex>}, an HMAC-SHA256 with the shared secret
 * over {@code <X-Supervision-Timestamp>.<body>} (the timestamp makes a replayed request detectable), and
 * deduplicates on {@code X-Supervision-Delivery}, which stays the same across retries.
 */
@Component
class WebhookChannel {

    static final String SIGNATURE = "X-Supervision-Signature";
    static final String TIMESTAMP = "X-Supervision-Timestamp";
    static final String DELIVERY = "X-Supervision-Delivery";

    private final RestClient http;
    private final JsonMapper json;
    private final Clock clock;
    private final String secret;

    WebhookChannel(RestClient.Builder builder, JsonMapper json, Clock clock,
            @Value("${supervision.notify.webhook.secret:}") String secret) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(Duration.ofSeconds(3));
        requests.setReadTimeout(Duration.ofSeconds(10));
        this.http = builder.clone().requestFactory(requests).build();
        this.json = json;
        this.clock = clock;
        this.secret = secret;
    }

    void send(DeliveryJob job, String deliveryId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", deliveryId);
        payload.put("kind", job.kind());
        payload.put("taskId", job.taskId());
        payload.put("assignmentId", job.assignmentId());
        payload.put("subject", job.subject());
        payload.put("body", job.body());
        payload.put("dueAt", job.dueAt() == null ? null : job.dueAt().toString());
        payload.put("late", job.late());
        byte[] body = json.writeValueAsBytes(payload);
        String timestamp = String.valueOf(clock.instant().getEpochSecond());
        http.post().uri(job.recipient()).contentType(MediaType.APPLICATION_JSON)
                .header(DELIVERY, deliveryId)
                .header(TIMESTAMP, timestamp)
                .header(SIGNATURE, "sha256=" + sign(secret, timestamp, body))
                .body(body).retrieve().toBodilessEntity();
    }

    static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        }
        catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
