package io.premiumbot.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Debian's {@code prometheus} server on a free loopback port with a throw-away TSDB, configured from the repo's own
 * {@code deploy/prometheus/prometheus.yml} with each job's target rewritten to where the test runs that service and
 * the repo's rule file loaded. Started and stopped by the test; scrapes and evaluates every second.
 */
final class LocalPrometheus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path dir;
    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalPrometheus(Process process, Path dir, URI base) {
        this.process = process;
        this.dir = dir;
        this.base = base;
    }

    /** {@code targets}: job name → host:port, for every job of the repo's prometheus.yml. */
    static LocalPrometheus start(Path deploy, java.util.Map<String, String> targets) throws IOException {
        Path binary = Stream.of(System.getenv().getOrDefault("PROMETHEUS_BIN", ""), "/usr/bin/prometheus")
                .filter(p -> !p.isBlank())
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no prometheus server binary: install the Debian package"
                        + " prometheus (deploy/local/services.sh does) or set PROMETHEUS_BIN"));
        Path dir = Files.createTempDirectory("premium-prometheus");
        Path rules = deploy.resolve("prometheus/rules/premium.rules.yml").toAbsolutePath();
        ObjectNode config = (ObjectNode) new YAMLMapper()
                .readTree(deploy.resolve("prometheus/prometheus.yml").toFile());
        ((ObjectNode) config.path("global")).put("scrape_interval", "1s").put("evaluation_interval", "1s");
        config.putArray("rule_files").add(rules.toString());
        for (JsonNode job : config.path("scrape_configs")) {
            String name = job.path("job_name").asText();
            String target = targets.get(name);
            if (target == null) {
                throw new IllegalArgumentException("prometheus.yml scrapes job " + name + " the test does not run");
            }
            ArrayNode statics = ((ObjectNode) job).putArray("static_configs");
            statics.addObject().putArray("targets").add(target);
        }
        Path configFile = dir.resolve("prometheus.yml");
        new YAMLMapper().writeValue(configFile.toFile(), config);
        int port = Endpoints.portOr(0);
        Process process = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + configFile,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--enable-feature=exemplar-storage")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        LocalPrometheus prometheus = new LocalPrometheus(process, dir, URI.create("http://127.0.0.1:" + port));
        try {
            prometheus.awaitReady(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + log());
            }
            try {
                if (http.send(
                                        HttpRequest.newBuilder(base.resolve("/-/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("prometheus not ready within " + timeout + ": " + log());
    }

    /** The result of an instant query: {@code status} "success" with {@code data.result}, or the error. */
    JsonNode query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** Every loaded rule group with each rule's health and last error. */
    JsonNode rules() {
        return get("/api/v1/rules");
    }

    JsonNode targets() {
        return get("/api/v1/targets");
    }

    private JsonNode get(String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(base.resolve(pathAndQuery))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("prometheus " + pathAndQuery + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String log() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteQuietly();
    }

    private void deleteQuietly() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("[prometheus] could not remove " + dir + ": " + e);
        }
    }
}
