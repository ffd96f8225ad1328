package io.premiumbot.worker.schedule;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The recovery budget at the defaults a deployment gets (application.properties, no env set): what a killed worker
 * or a flushed Redis costs a customer. The mechanisms themselves are tested with short timings elsewhere.
 */
class RecoveryDefaultsTest {

    private static final Duration TWO_MINUTES = Duration.ofMinutes(2);
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{[A-Z0-9_]+:([^}]*)}");

    @Test
    void paidOrdersWhoseJobsRedisLostAreEnqueuedAgainWithinTwoMinutes() throws IOException {
        Duration worstCase =
                setting("worker.reconcile.paid-stalled-after").plus(setting("worker.schedule.reconcile-every"));

        assertTrue(worstCase.compareTo(TWO_MINUTES) <= 0, "a lost job is found again after " + worstCase);
        assertTrue(
                setting("worker.reconcile.paid-stalled-after").compareTo(setting("worker.retry.max-backoff")) > 0,
                "a job waiting for its retry is not taken for lost");
    }

    @Test
    void aDeadWorkersDeliveriesAreSettledWithinTwoMinutesOfItsHeartbeatExpiring() throws IOException {
        // the request went out at the latest when the worker died, at least heartbeat-ttl - heartbeat-every before
        // expiry
        Duration sinceExpiry = Duration.ofMillis(Long.parseLong(raw("telegram.timeout-millis")))
                .plus(setting("worker.reconcile.gift-visible-after"))
                .minus(setting("worker.consumer.heartbeat-ttl").minus(setting("worker.consumer.heartbeat-every")))
                .plus(setting("worker.schedule.reconcile-every"));

        assertTrue(
                sinceExpiry.compareTo(TWO_MINUTES) <= 0,
                "settled up to " + sinceExpiry + " after the heartbeat expired");
        assertTrue(
                setting("worker.schedule.unknown-every").compareTo(TWO_MINUTES) <= 0,
                "DELIVERY_UNKNOWN asked again soon");
    }

    private static Duration setting(String key) throws IOException {
        String value = raw(key).trim().toUpperCase(Locale.ROOT);
        return Duration.parse(value.matches("\\d+[HMS]") ? "PT" + value : value);
    }

    private static String raw(String key) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = RecoveryDefaultsTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("no default for " + key);
        }
        Matcher env = ENV_DEFAULT.matcher(value);
        return env.matches() ? env.group(1) : value;
    }
}
