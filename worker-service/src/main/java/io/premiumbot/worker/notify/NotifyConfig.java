package io.premiumbot.worker.notify;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** The customer-notification sender: rounds over the outbox in PostgreSQL. Env names and defaults: application.properties. */
@ConfigMapping(prefix = "worker.notifications")
public interface NotifyConfig {

    /** How often a round looks for due notifications besides the ones written here ({@code off}: only those). */
    String every();

    /** Buyers whose notifications one round leases; each buyer's due ones become one message. */
    int buyersPerRound();

    /** Messages of one round in flight at once. */
    int concurrency();

    /** How long a leased notification is this sender's; past it another round takes it back. */
    Duration lease();

    /** Telegram unavailable this many times: the notification is given up. */
    int maxAttempts();

    /** The wait before a notification Telegram couldn't take is tried again. */
    Duration retryAfter();
}
