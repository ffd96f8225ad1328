package io.premiumbot.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One service running as a child process, with its output in a log file (or the parent's console). */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Process process;
    private final Path logFile;
    private final URI baseUri;

    private ServiceProcess(String name, Process process, Path logFile, URI baseUri) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.baseUri = baseUri;
    }

    /**
     * Starts {@code command} with {@code env} added to this process' environment; {@code logFile} null inherits
     * the console. {@code baseUri} is where the service answers HTTP once up.
     */
    public static ServiceProcess start(
            String name, List<String> command, Map<String, String> env, Path logFile, URI baseUri) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            if (logFile == null) {
                builder.inheritIO();
            } else {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                builder.redirectOutput(logFile.toFile());
            }
            return new ServiceProcess(name, builder.start(), logFile, baseUri);
        } catch (IOException e) {
            throw new IllegalStateException(name + " could not be started", e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200; fails early when the process exits. */
    public void awaitReady(Duration timeout) {
        URI health = baseUri.resolve("/q/health/ready");
        Instant deadline = Instant.now().plus(timeout);
        int lastStatus = -1;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with code " + process.exitValue() + " before it was ready" + tailForError());
            }
            lastStatus = status(health);
            if (lastStatus == 200) {
                return;
            }
            sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s (last "
                + health.getPath() + " status: " + (lastStatus < 0 ? "no answer" : lastStatus) + ")" + tailForError());
    }

    /** The status {@code /q/health/ready} answers now; -1 when nothing answers. */
    public int readiness() {
        return status(baseUri.resolve("/q/health/ready"));
    }

    private static int status(URI uri) {
        HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a service", e);
        }
    }

    /** The last {@code lines} lines the service wrote, when its output goes to a file. */
    public List<String> tail(int lines) {
        if (logFile == null || !Files.exists(logFile)) {
            return List.of();
        }
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(log " + logFile + " unreadable: " + e.getMessage() + ")");
        }
    }

    private String tailForError() {
        if (logFile == null) {
            return "; its output went to the console above";
        }
        return "; last lines of " + logFile + ":\n  " + String.join("\n  ", tail(40));
    }

    public String name() {
        return name;
    }

    public URI baseUri() {
        return baseUri;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process at once (SIGKILL): no shutdown hook, no hand-back; what it held is left behind. */
    public void kill() {
        ServerProcess.kill(process);
    }

    /** Asks the service to stop (SIGTERM, so Quarkus shuts down gracefully), then kills it after 15 s. */
    @Override
    public void close() {
        ServerProcess.stop(process, Duration.ofSeconds(15));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a service", e);
        }
    }
}
