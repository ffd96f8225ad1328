package io.premiumbot.worker.delivery;

/**
 * A gift was made: Stars left the bot's balance. Fired (synchronously, never failing the delivery) for whoever keeps
 * the balance — the treasury reads it again soon — without the delivery knowing who that is.
 */
public record StarsSpent(String orderId) {}
