package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * A setting both services read (the shared Telegram budget, the database, Redis) has one default: the same in
 * api-service's and the worker's application.properties, so a deployment that leaves it unset can't split it.
 */
class SharedSettingsTest {

    /** Each service's own: two processes on one host listen on different ports. */
    private static final Set<String> PER_SERVICE = Set.of("HTTP_PORT");

    private static final Pattern ENV_WITH_DEFAULT = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):([^}]*)}");

    @Test
    void everyEnvVarBothServicesReadHasTheSameDefaultInBoth() {
        Map<String, String> api = defaults("api-service");
        Map<String, String> worker = defaults("worker-service");
        Set<String> both = new TreeSet<>(api.keySet());
        both.retainAll(worker.keySet());
        both.removeAll(PER_SERVICE);
        assertTrue(
                both.contains("TELEGRAM_RATE_LIMIT_PER_SECOND"),
                "both services read the shared Telegram budget: " + both);
        Map<String, String> differing = new TreeMap<>();
        for (String name : both) {
            if (!api.get(name).equals(worker.get(name))) {
                differing.put(name, "api-service " + api.get(name) + ", worker-service " + worker.get(name));
            }
        }
        assertEquals(Map.of(), differing);
    }

    /** env name → its default, from the service's production lines (profile lines such as %test. are skipped). */
    private static Map<String, String> defaults(String service) {
        Map<String, String> defaults = new TreeMap<>();
        try {
            for (String raw : Files.readAllLines(
                    Repo.ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
                String line = raw.strip();
                if (line.startsWith("#") || (line.startsWith("%") && !line.startsWith("%prod."))) {
                    continue;
                }
                Matcher reference = ENV_WITH_DEFAULT.matcher(line);
                while (reference.find()) {
                    defaults.put(reference.group(1), reference.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults;
    }
}
