package gov.yuancheng.supervision.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Mongo-wire store as its own process, so it can be stopped and killed like a real database. */
final class MongoStore {

    private MongoStore() {
    }

    static Child start(StackConfig config, String classpath) throws IOException {
        Path home = config.data().resolve("mongo");
        Files.createDirectories(home);
        Path log4j = home.resolve("log4j2.properties");
        Files.writeString(log4j, Log4j.CONSOLE_WARN_WITH_STARTUP);
        int port = config.port(StackConfig.MONGO);
        // The store keeps its page cache and its indexes on the heap, which grows from 32 MiB only as the data does:
        // at 256 MiB the fault suite's 15,000 tasks and 18,000 reminders left it collecting most of the time; large
        // loads (benchmarks) give it MONGO_WIRE_HEAP=3g and more.
        String heap = System.getenv().getOrDefault("MONGO_WIRE_HEAP", "768m");
        // More options (a collector and its settings, the page cache's size) for measuring the store under load.
        List<String> more = List.of(System.getenv().getOrDefault("MONGO_WIRE_JAVA_OPTS", "").strip().split("\\s+"));
        List<String> command = new ArrayList<>(List.of(Java.binary(), "-Xms32m", "-Xmx" + heap));
        if (more.stream().noneMatch(option -> option.matches("-XX:\\+Use\\w+GC"))) {
            command.add(collector(heap));
        }
        command.addAll(more.stream().filter(option -> !option.isEmpty()).toList());
        command.addAll(List.of("-Dlog4j2.configurationFile=" + log4j, "-cp", classpath,
                "gov.yuancheng.supervision.mongowire.MongoWireServer", String.valueOf(port), home.toString()));
        return Child.start("mongo-wire", command, Map.of(), home, config.logs(), Probes.tcp(port));
    }

    /**
     * The serial collector for a laptop's small heap; G1 from a gigabyte on, where the serial collector stopped the
     * store for seconds at a time under the benchmarks' loads (a full collection of a heap holding 100,000 tasks).
     */
    static String collector(String heap) {
        String size = heap.strip().toLowerCase(java.util.Locale.ROOT);
        long factor = switch (size.isEmpty() ? ' ' : size.charAt(size.length() - 1)) {
            case 'g' -> 1L << 30;
            case 'm' -> 1L << 20;
            case 'k' -> 1L << 10;
            default -> 1;
        };
        String digits = factor == 1 ? size : size.substring(0, size.length() - 1);
        long bytes = digits.matches("\\d{1,12}") ? Long.parseLong(digits) * factor : 0;
        return bytes >= 1L << 30 ? "-XX:+UseG1GC" : "-XX:+UseSerialGC";
    }

    static String uri(StackConfig config, String database) {
        // Short timeouts: while the store is away the services answer 503 within seconds instead of hanging.
        return "mongodb://127.0.0.1:" + config.port(StackConfig.MONGO) + "/" + database
                + "?serverSelectionTimeoutMS=5000&connectTimeoutMS=3000&socketTimeoutMS=8000";
    }
}
