package io.premiumbot.api.treasury;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** Stars top-ups by an operator. Env names and defaults: application.properties. */
@ConfigMapping(prefix = "treasury.top-up")
public interface TopUpConfig {

    /** The fewest Stars one top-up invoice may ask for. */
    int minStars();

    /** The most Stars one top-up invoice may ask for. */
    int maxStars();

    /** How long a top-up invoice can be paid after it was sent. */
    Duration validFor();
}
