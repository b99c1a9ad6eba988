package gov.yuancheng.supervision.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** One process of the stack, its log file and the check that tells when it is ready. */
final class Child {

    final String name;
    final Path log;
    private final Process process;
    private final BooleanSupplier ready;

    private Child(String name, Path log, Process process, BooleanSupplier ready) {
        this.name = name;
        this.log = log;
        this.process = process;
        this.ready = ready;
    }

    static Child start(String name, List<String> command, Map<String, String> env, Path workDir, Path logs,
            BooleanSupplier ready) throws IOException {
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        Files.writeString(log, "---- " + Instant.now() + " " + String.join(" ", command) + System.lineSeparator(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return new Child(name, log, builder.start(), ready);
    }

    /**
     * Waits until ready; fails early, with the end of the log, when the process dies first. Asks at least once,
     * even past the deadline: the stack waits for its children one after the other, and a child that became ready
     * while the stack waited for a slower one is ready, not late.
     */
    Duration awaitReady(Instant since, Duration timeout) throws InterruptedException {
        Instant deadline = since.plus(timeout);
        while (true) {
            if (ready.getAsBoolean()) {
                return Duration.between(since, Instant.now());
            }
            if (!process.isAlive()) {
                throw new StackException(name + " exited with code " + process.exitValue() + " while starting.\n"
                        + tail() + "\nFull log: " + log);
            }
            if (!Instant.now().isBefore(deadline)) {
                break;
            }
            Thread.sleep(250);
        }
        throw new StackException(name + " was not ready after " + timeout.toSeconds() + " s.\n" + tail()
                + "\nFull log: " + log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM to the process and everything it started (kc.sh execs a server JVM), then SIGKILL if needed. */
    void stop(Duration grace) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        }
        catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
