package io.premiumbot.worker.telegram;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** The pause of every delivery while the bot's Stars can't pay for a gift. Env names and defaults: application.properties. */
@ConfigMapping(prefix = "worker.stars")
public interface StarsConfig {

    /** How long deliveries wait after BALANCE_TOO_LOW before one gift probes again. */
    Duration pauseFor();

    /** How often a job held back by the pause comes back to see whether it has lifted. */
    Duration recheckEvery();
}
