package gov.yuancheng.supervision.notify.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The Chinese texts, one file per kind under {@code templates/notice/}: the first line is the subject, the
 * rest the body; {@code {name}} is replaced by a value. Kept as files so that the office can reword them
 * without touching code.
 */
@Component
public class Templates {

    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public record Text(String subject, String body) {
    }

    public Text render(String kind, Map<String, String> values) {
        String template = load(kind);
        int split = template.indexOf('\n');
        String subject = fill(template.substring(0, split).strip(), values);
        String body = fill(template.substring(split + 1).strip(), values);
        return new Text(subject, body);
    }

    public String fill(String text, Map<String, String> values) {
        String result = text;
        for (var entry : values.entrySet()) {
            result = result.replace("{" + entry.getKey() + "}", entry.getValue() == null ? "" : entry.getValue());
        }
        return result;
    }

    public String load(String kind) {
        return cache.computeIfAbsent(kind, k -> {
            try (InputStream in = new ClassPathResource("templates/notice/" + k + ".txt").getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                throw new IllegalStateException("No template for " + k, e);
            }
        });
    }
}
