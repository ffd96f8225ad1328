package io.premiumbot.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service reads from its environment, taken from its application.properties: every
 * {@code ${NAME}} / {@code ${NAME:default}} in a line that applies in production (no profile or %prod),
 * and the environment form of every property set there ({@code worker.concurrency} is also read from
 * {@code WORKER_CONCURRENCY}, as MicroProfile Config maps names); {@code envDefaults} holds each {@code NAME}'s
 * default as written there.
 */
record ServiceConfiguration(
        String service, Set<String> envRead, Set<String> envRequired, Map<String, String> envDefaults, int httpPort) {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");
    private static final Pattern HTTP_PORT =
            Pattern.compile("^quarkus\\.http\\.port\\s*=\\s*(?:\\$\\{HTTP_PORT:)?(\\d+)}?\\s*$");

    static ServiceConfiguration of(String service) {
        Path file = Repo.ROOT.resolve(service).resolve("src/main/resources/application.properties");
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(file + " is missing, so what " + service + " reads and the port it listens on"
                    + " can't be checked against the k8s manifests. It lands with " + service
                    + "; until then this check fails on purpose.");
        }
        try {
            return parse(service, Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServiceConfiguration parse(String service, Iterable<String> lines) {
        Set<String> read = new TreeSet<>();
        Set<String> required = new TreeSet<>();
        Map<String, String> defaults = new TreeMap<>();
        Integer port = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty()
                    || line.startsWith("#")
                    || line.startsWith("!")
                    || (line.startsWith("%") && !line.startsWith("%prod."))) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals > 0) {
                read.add(line.substring(line.startsWith("%prod.") ? 6 : 0, equals)
                        .strip()
                        .replaceAll("[^A-Za-z0-9]", "_")
                        .toUpperCase(java.util.Locale.ROOT));
            }
            Matcher reference = ENV_REFERENCE.matcher(line);
            while (reference.find()) {
                read.add(reference.group(1));
                if (reference.group(2) == null) {
                    required.add(reference.group(1));
                } else {
                    defaults.put(reference.group(1), reference.group(2).substring(1));
                }
            }
            Matcher httpPort = HTTP_PORT.matcher(line);
            if (httpPort.matches()) {
                port = Integer.parseInt(httpPort.group(1));
            }
        }
        if (port == null) {
            throw new AssertionError(service + ": application.properties sets no quarkus.http.port");
        }
        return new ServiceConfiguration(service, read, required, defaults, port);
    }

    /** Names Quarkus or the image read without a line in application.properties. */
    static boolean isPlatformEnv(String name) {
        return name.startsWith("QUARKUS_") || name.equals("JAVA_OPTS_APPEND") || name.equals("JAVA_OPTS");
    }
}
