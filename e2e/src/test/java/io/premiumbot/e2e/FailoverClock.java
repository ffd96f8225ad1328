package io.premiumbot.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What a failover test measures: named moments (the kill, the promotion, the last delivery) and, sampled every
 * 200 ms, each service's readiness — when it first went down and when it came back. Written as JSON to
 * {@code e2e/target/failover/<name>.json}, the source of bench/results/failover-*.
 */
final class FailoverClock implements AutoCloseable {

    private final String name;
    private final Instant start = Instant.now();
    private final Map<String, Instant> moments = new ConcurrentHashMap<>();
    private final Map<String, Object> facts = new ConcurrentHashMap<>();
    private final Map<String, Instant> firstDown = new ConcurrentHashMap<>();
    private final Map<String, Instant> backUp = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "readiness-sampler");
        thread.setDaemon(true);
        return thread;
    });

    FailoverClock(String name, List<ServiceProcess> services) {
        this.name = name;
        sampler.scheduleWithFixedDelay(() -> services.forEach(this::sample), 0, 200, TimeUnit.MILLISECONDS);
    }

    private void sample(ServiceProcess service) {
        boolean ready = service.readiness() == 200;
        Instant now = Instant.now();
        if (!ready) {
            firstDown.putIfAbsent(service.name(), now);
            backUp.remove(service.name());
        } else if (firstDown.containsKey(service.name())) {
            backUp.putIfAbsent(service.name(), now);
        }
    }

    Instant mark(String moment) {
        Instant now = Instant.now();
        moments.put(moment, now);
        return now;
    }

    void fact(String key, Object value) {
        facts.put(key, value);
    }

    /** How often {@code event=<name>} appears in a service's log, and the sum of its {@code count=} fields. */
    static long[] logged(ServiceProcess service, String event) {
        try (var lines = Files.lines(service.logFile())) {
            long[] found = new long[2];
            lines.filter(line -> line.contains("event=" + event + " ") || line.endsWith("event=" + event))
                    .forEach(line -> {
                        found[0]++;
                        java.util.regex.Matcher count =
                                java.util.regex.Pattern.compile("count=(\\d+)").matcher(line);
                        if (count.find()) {
                            found[1] += Long.parseLong(count.group(1));
                        }
                    });
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Duration between(String from, String to) {
        return Duration.between(moments.get(from), moments.get(to));
    }

    /** When the service was first seen not ready, if it ever was. */
    Instant firstDown(String service) {
        return firstDown.get(service);
    }

    /** When it was seen ready again after that. */
    Instant backUp(String service) {
        return backUp.get(service);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        Map<String, Object> report = new TreeMap<>();
        report.put("test", name);
        report.put("recordedAt", start.toString());
        Map<String, Long> offsets = new TreeMap<>();
        moments.forEach((moment, at) ->
                offsets.put(moment + "Ms", Duration.between(start, at).toMillis()));
        report.put("momentsSinceStart", offsets);
        Map<String, Object> readiness = new TreeMap<>();
        firstDown.forEach((service, down) -> readiness.put(
                service,
                Map.of(
                        "downMsSinceStart",
                        Duration.between(start, down).toMillis(),
                        "backMsSinceStart",
                        backUp.containsKey(service)
                                ? Duration.between(start, backUp.get(service)).toMillis()
                                : -1)));
        report.put("readiness", readiness);
        report.putAll(facts);
        Path file = Stack.defaultProjectRoot().resolve("e2e/target/failover/" + name + ".json");
        try {
            Files.createDirectories(file.getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("[failover] " + name + ": " + report);
    }
}
