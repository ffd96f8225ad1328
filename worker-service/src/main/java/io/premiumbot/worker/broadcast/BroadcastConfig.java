package io.premiumbot.worker.broadcast;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** The broadcast sender. Env names and defaults: application.properties. */
@ConfigMapping(prefix = "worker.broadcasts")
public interface BroadcastConfig {

    /** How often the sender looks for messages to send ({@code off}: never, e.g. a replica that only delivers gifts). */
    String every();

    /** Messages one round claims. */
    int batch();

    /** Messages of one round in flight at once. */
    int concurrency();

    /** How long claimed messages are this sender's while they wait for the budget; past it another sender takes them. */
    Duration lease();

    /**
     * A message stamped SENDING this long ago and still unsettled: its sender died mid-call. Longer than the Bot API
     * call's bound (telegram.timeout-millis), so the request was answered, reset or never written by then.
     */
    Duration abandonedAfter();
}
