package io.premiumbot.worker.refunds;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the worker carries out Stars refunds. */
@ConfigMapping(prefix = "refunds.stars")
public interface StarRefundsConfig {

    /** How often due refunds are looked for ({@code off} disables). */
    String every();

    /** Refunds claimed per tick. */
    @WithDefault("50")
    int batchSize();

    /** How long a claimed refund is this worker's; longer than a Bot API call may take, so a crash only delays it. */
    @WithDefault("2M")
    Duration lease();

    /** Waits between tries after Telegram was unreachable or unclear: doubling from min to max, never giving up. */
    Duration minBackoff();

    Duration maxBackoff();
}
