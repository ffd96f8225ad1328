package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * A setting both services read (the shared Telegram budget, the database, Redis) has one default: the same in
 * api-service's and the worker's application.properties, so a deployment that leaves it unset can't split it.
 */
class SharedSettingsTest {

    /** Each service's own: two processes on one host listen on different ports. */
    private static final Set<String> PER_SERVICE = Set.of("HTTP_PORT");

    @Test
    void everyEnvVarBothServicesReadHasTheSameDefaultInBoth() {
        Map<String, String> api = ServiceConfiguration.of("api-service").envDefaults();
        Map<String, String> worker = ServiceConfiguration.of("worker-service").envDefaults();
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
}
