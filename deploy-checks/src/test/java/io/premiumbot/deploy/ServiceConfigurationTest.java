package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ServiceConfigurationTest {

    @Test
    void anEnvReferenceWithoutDefaultIsRequiredAndOneWithDefaultIsOptional() {
        ServiceConfiguration configuration = ServiceConfiguration.parse(
                "s",
                List.of(
                        "quarkus.http.port=${HTTP_PORT:8081}",
                        "telegram.bot-token=${TELEGRAM_BOT_TOKEN}",
                        "quarkus.redis.hosts=${REDIS_URL:redis://127.0.0.1:6379}"));

        assertEquals(8081, configuration.httpPort());
        assertTrue(configuration.envRead().containsAll(List.of("HTTP_PORT", "TELEGRAM_BOT_TOKEN", "REDIS_URL")));
        assertEquals(java.util.Set.of("TELEGRAM_BOT_TOKEN"), configuration.envRequired());
    }

    @Test
    void aLineForTheDevOrTestProfileIsNotReadInProduction() {
        ServiceConfiguration configuration = ServiceConfiguration.parse(
                "s",
                List.of(
                        "quarkus.http.port=8080",
                        "%test.telegram.bot-token=${ONLY_IN_TESTS}",
                        "%prod.worker.id=${WORKER_ID}"));

        assertFalse(configuration.envRead().contains("ONLY_IN_TESTS"));
        assertTrue(configuration.envRequired().contains("WORKER_ID"));
    }

    @Test
    void aPropertySetInTheFileIsAlsoReadFromItsEnvironmentName() {
        ServiceConfiguration configuration =
                ServiceConfiguration.parse("s", List.of("quarkus.http.port=8081", "worker.concurrency=10"));

        assertTrue(configuration.envRead().contains("WORKER_CONCURRENCY"));
    }

    @Test
    void aServiceWithoutAnHttpPortIsAnError() {
        assertThrows(AssertionError.class, () -> ServiceConfiguration.parse("s", List.of("a=b")));
    }
}
