package gov.yuancheng.supervision.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

/** A single Apache Kafka broker in KRaft combined mode, as its own process, with its data under the data folder. */
final class Kafka {

    private Kafka() {
    }

    static Child start(StackConfig config, String classpath) throws IOException, InterruptedException {
        Path home = config.data().resolve("kafka");
        Path logDir = home.resolve("data");
        Files.createDirectories(logDir);
        Path properties = home.resolve("server.properties");
        Files.writeString(properties, serverProperties(config, logDir));
        Path log4j = home.resolve("log4j2.properties");
        Files.writeString(log4j, Log4j.CONSOLE_WARN_WITH_STARTUP);
        List<String> java = List.of(Java.binary(), "-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dlog4j2.configurationFile=" + log4j, "-cp", classpath);

        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(config, java, properties);
        }
        return Child.start("kafka", concat(java, "kafka.Kafka", properties.toString()), Map.of(), home, config.logs(),
                Probes.tcp(config.port(StackConfig.KAFKA)));
    }

    /** Formats the log directory once, with a new cluster id; without it the broker refuses to start. */
    private static void format(StackConfig config, List<String> java, Path properties)
            throws IOException, InterruptedException {
        Path log = config.logs().resolve("kafka-format.log");
        Files.createDirectories(config.logs());
        Process format = new ProcessBuilder(concat(java, "kafka.tools.StorageTool", "format", "-t",
                Uuid.randomUuid().toString(), "-c", properties.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new StackException("Formatting Kafka's log directory failed:\n" + Files.readString(log));
        }
    }

    static String serverProperties(StackConfig config, Path logDir) {
        int port = config.port(StackConfig.KAFKA);
        int controller = config.port(StackConfig.KAFKA_CONTROLLER);
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDir,
                "num.partitions=3",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") ;
    }

    private static List<String> concat(List<String> head, String... tail) {
        var all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
