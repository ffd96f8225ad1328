package io.premiumbot.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * One database server the tests start from the machine's own binaries (redis-server, PostgreSQL's postgres): a child
 * process with its output in its own directory, killed with SIGKILL when a test plays a crash.
 */
public final class ServerProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code dir}; its output goes to {@code dir/<name>.log}. */
    public static ServerProcess start(String name, int port, Path dir, List<String> command) {
        Path log = dir.resolve(name + ".log");
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new ServerProcess(name, port, process, log);
        } catch (IOException e) {
            throw new IllegalStateException(name + " could not be started: " + command.get(0), e);
        }
    }

    /** Waits until {@code ready} holds; fails early, with the log tail, when the process exits. */
    public void awaitReady(Duration timeout, BooleanSupplier ready) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + tail());
            }
            if (ready.getAsBoolean()) {
                return;
            }
            pause(Duration.ofMillis(100));
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s" + tail());
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A crash: SIGKILL, nothing flushed, no goodbye to clients or peers. */
    public void kill() {
        kill(process);
    }

    @Override
    public void close() {
        stop(process, Duration.ofSeconds(10));
    }

    /** SIGKILL, and wait (up to 10 s) until it is gone. */
    static void kill(Process process) {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL if it hasn't exited within {@code grace}. */
    static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "; last lines of " + log + ":\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "; no log at " + log;
        }
    }

    /** A fresh directory for a server's files under the system temp dir. */
    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a server's directory and everything in it; best effort (a server may still be writing). */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a server", e);
        }
    }
}
