package gov.yuancheng.supervision.stack;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalStackTest {

    @TempDir
    Path data;

    @Test
    void refusesToStartWhenAPortIsTakenAndNamesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StackConfig config = StackConfig.fromEnvironment(Map.of("STACK_DATA", data.toString(),
                    "KEYCLOAK_PORT", String.valueOf(taken.getLocalPort())));

            assertThatThrownBy(() -> new LocalStack(config).start()).isInstanceOf(StackException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " (keycloak)")
                    .hasMessageContaining("KEYCLOAK_PORT");
        }
    }

    @Test
    void theStoreGetsTheSerialCollectorForASmallHeapAndG1FromAGigabyte() {
        assertThat(List.of("256m", "1023m", "512M", "junk", "")).allSatisfy(
                heap -> assertThat(MongoStore.collector(heap)).as(heap).isEqualTo("-XX:+UseSerialGC"));
        assertThat(List.of("1g", "1024m", "8G", "3g", "2097152k")).allSatisfy(
                heap -> assertThat(MongoStore.collector(heap)).as(heap).isEqualTo("-XX:+UseG1GC"));
    }

    @Test
    void theServicesRunWithTheClientCompilerUnlessTheirOptionsAreGiven() {
        assertThat(Services.javaOptions(Map.of())).contains("-XX:TieredStopAtLevel=1", "-Xmx256m");
        assertThat(Services.javaOptions(Map.of("SERVICE_JAVA_OPTS", "  "))).contains("-XX:TieredStopAtLevel=1");
        assertThat(Services.javaOptions(Map.of("SERVICE_JAVA_OPTS", " -Xmx512m  -XX:+UseSerialGC ")))
                .containsExactly("-Xmx512m", "-XX:+UseSerialGC");
    }

    @Test
    void portsAndFoldersComeFromTheEnvironment() {
        StackConfig config = StackConfig.fromEnvironment(Map.of("STACK_HOME", "/srv/supervision",
                "GATEWAY_PORT", "9080", "STACK_CACHE", "/tmp/cache"));

        assertThat(config.port(StackConfig.GATEWAY)).isEqualTo(9080);
        assertThat(config.port(StackConfig.KAFKA)).isEqualTo(9092);
        assertThat(config.data()).isEqualTo(Path.of("/srv/supervision/.stack"));
        assertThat(config.issuer()).isEqualTo("http://127.0.0.1:8180/realms/supervision");
    }

    @Test
    void refusesToStartWhenTheMailPortIsTakenAndNamesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StackConfig config = StackConfig.fromEnvironment(Map.of("STACK_DATA", data.toString(),
                    "SMTP_PORT", String.valueOf(taken.getLocalPort())));

            assertThatThrownBy(() -> new LocalStack(config).start()).isInstanceOf(StackException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " (mail-smtp)")
                    .hasMessageContaining("SMTP_PORT");
        }
    }

    @Test
    void theMailSinkListensOnItsOwnPortsAndNotifyServiceIsPointedAtIt() {
        StackConfig defaults = StackConfig.fromEnvironment(Map.of());
        StackConfig moved = StackConfig.fromEnvironment(Map.of("SMTP_PORT", "12525", "IMAP_PORT", "11143"));

        assertThat(defaults.port(StackConfig.SMTP)).isEqualTo(2525);
        assertThat(defaults.port(StackConfig.IMAP)).isEqualTo(1143);
        assertThat(moved.port(StackConfig.SMTP)).isEqualTo(12525);
        assertThat(moved.port(StackConfig.IMAP)).isEqualTo(11143);
        assertThat(Services.environment(moved, StackConfig.NOTIFY)).containsEntry("SMTP_HOST", "127.0.0.1")
                .containsEntry("SMTP_PORT", "12525");
    }

    @Test
    void aChildThatBecameReadyWhileTheStackWaitedForASlowerOneIsNotLate() throws Exception {
        Child child = Child.start("sleeper", List.of("sleep", "30"), Map.of(), data, data.resolve("logs"), () -> true);
        try {
            Instant longAgo = Instant.now().minusSeconds(300);

            assertThat(child.awaitReady(longAgo, Duration.ofSeconds(180))).isGreaterThan(Duration.ofSeconds(180));
        }
        finally {
            child.stop(Duration.ofSeconds(5));
        }
        Child never = Child.start("never", List.of("sleep", "30"), Map.of(), data, data.resolve("logs"), () -> false);
        try {
            assertThatThrownBy(() -> never.awaitReady(Instant.now(), Duration.ofMillis(300)))
                    .isInstanceOf(StackException.class).hasMessageContaining("never was not ready");
        }
        finally {
            never.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aPortThatIsNotANumberIsRefusedClearly() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StackConfig.fromEnvironment(Map.of("KAFKA_PORT", "90x2")))
                .withMessageContaining("KAFKA_PORT=90x2");
    }

    @Test
    void theBrokerListensOnLoopbackOnlyWithEveryReplicationFactorOne() {
        String properties = Kafka.serverProperties(StackConfig.fromEnvironment(Map.of()), data);

        assertThat(properties).contains("listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .contains("offsets.topic.replication.factor=1")
                .contains("share.coordinator.state.topic.replication.factor=1")
                .contains("log.dirs=" + data);
    }
}
