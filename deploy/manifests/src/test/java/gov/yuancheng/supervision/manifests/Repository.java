package gov.yuancheng.supervision.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Files of the repository and small helpers to walk parsed YAML. */
final class Repository {

    static final List<String> SERVICES = List.of("task-service", "notify-service", "audit-service", "gateway");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    private Repository() {
    }

    /** The repository root: the first parent of the working directory that holds deploy/k8s. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy/k8s"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("No deploy/k8s above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static String read(String relative) {
        try {
            return Files.readString(root().resolve(relative));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(options);
    }

    /** Every environment variable a service's application.yml reads (the ${NAME...} placeholders). */
    static Set<String> variablesReadBy(String service) {
        Matcher m = PLACEHOLDER.matcher(read(service + "/src/main/resources/application.yml"));
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Variables that no application.yml names but that Spring Boot or the JVM read themselves. */
    static boolean readByPlatform(String name) {
        return name.startsWith("SPRING_") || name.startsWith("SERVER_") || name.startsWith("MANAGEMENT_")
                || name.equals("JAVA_TOOL_OPTIONS") || name.equals("TZ");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        Object value = get(node, path);
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String... path) {
        Object value = get(node, path);
        return value == null ? List.of() : (List<Object>) value;
    }

    static String string(Object node, String... path) {
        Object value = get(node, path);
        return value == null ? null : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    static Object get(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map)) {
                return null;
            }
            current = ((Map<String, Object>) current).get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(List<Object> values) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object value : values) {
            out.add((Map<String, Object>) value);
        }
        return out;
    }
}
