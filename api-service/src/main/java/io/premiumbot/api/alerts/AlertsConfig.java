package io.premiumbot.api.alerts;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Who hears about trouble in Telegram, and where their links point. */
@ConfigMapping(prefix = "alerts")
public interface AlertsConfig {

    /** Telegram chat ids of the operators; none: no alerts. */
    Optional<List<Long>> chatIds();

    /** How often to look for trouble ({@code off} disables); read by the scheduler. */
    String every();

    /** The console as the operators reach it, e.g. {@code http://localhost:8080/console} through a port-forward. */
    String consoleUrl();
}
