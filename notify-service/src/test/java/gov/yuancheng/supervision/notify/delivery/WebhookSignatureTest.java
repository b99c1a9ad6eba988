package gov.yuancheng.supervision.notify.delivery;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTest {

    @Test
    void theSignatureCoversTimestampAndBodySoNeitherCanBeChanged() {
        byte[] body = "{\"kind\":\"URGE\"}".getBytes(StandardCharsets.UTF_8);
        String signature = WebhookChannel.sign("secret", "1790000000", body);

        assertThat(signature).hasSize(64).isEqualTo(WebhookChannel.sign("secret", "1790000000", body));
        assertThat(WebhookChannel.sign("secret", "1790000001", body)).isNotEqualTo(signature);
        assertThat(WebhookChannel.sign("secret", "1790000000", "{\"kind\":\"OVERDUE\"}".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(signature);
        assertThat(WebhookChannel.sign("other", "1790000000", body)).isNotEqualTo(signature);
    }
}
