package gov.yuancheng.supervision.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault suite's hands on the stack's processes (Linux): which process listens on a port, its command line,
 * environment and working directory as {@code /proc} shows them, signals, and starting it again the same way
 * with its output appended to its log.
 */
final class Procs {

    /** A process as it was started: enough to start it again. */
    record Snapshot(long pid, List<String> command, Map<String, String> environment, Path workDir) {
    }

    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private Procs() {
    }

    /** The process listening on a loopback TCP port, or -1. */
    static long listening(int port) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-ltnpH", "sport = :" + port).redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ss.waitFor();
        Matcher m = PID.matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static Snapshot snapshot(long pid) throws IOException {
        Path proc = Path.of("/proc", String.valueOf(pid));
        List<String> command = split(Files.readAllBytes(proc.resolve("cmdline")));
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : split(Files.readAllBytes(proc.resolve("environ")))) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return new Snapshot(pid, command, env, Files.readSymbolicLink(proc.resolve("cwd")));
    }

    private static List<String> split(byte[] nulSeparated) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < nulSeparated.length; i++) {
            if (nulSeparated[i] == 0) {
                parts.add(new String(nulSeparated, from, i - from, StandardCharsets.UTF_8));
                from = i + 1;
            }
        }
        if (from < nulSeparated.length) {
            parts.add(new String(nulSeparated, from, nulSeparated.length - from, StandardCharsets.UTF_8));
        }
        return parts;
    }

    /** Sends a signal by name (KILL, TERM, STOP, CONT). */
    static void signal(long pid, String name) throws IOException, InterruptedException {
        int code = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).inheritIO().start().waitFor();
        if (code != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid + " failed with " + code);
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits for a process to be gone; true when it is. */
    static boolean awaitExit(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(pid) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return !alive(pid);
    }

    /** SIGTERM, and SIGKILL when it has not stopped within the grace period. */
    static void stop(long pid, Duration grace) throws IOException, InterruptedException {
        signal(pid, "TERM");
        if (!awaitExit(pid, grace)) {
            signal(pid, "KILL");
            awaitExit(pid, Duration.ofSeconds(10));
        }
    }

    /** Starts the process again as the snapshot shows it; its output is appended to {@code log}. */
    static long restart(Snapshot snapshot, Path log) throws IOException {
        Files.writeString(log, "---- restarted by the fault suite" + System.lineSeparator(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(snapshot.command()).directory(snapshot.workDir().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(snapshot.environment());
        return builder.start().pid();
    }
}
