package io.premiumbot.worker.queue;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** The retry of a delivery job: how many attempts, and the backoff between them (docs/queue.md). Env names and defaults: application.properties. */
@ConfigMapping(prefix = "worker.retry")
public interface RetryConfig {

    int maxAttempts();

    Duration minBackoff();

    Duration maxBackoff();
}
