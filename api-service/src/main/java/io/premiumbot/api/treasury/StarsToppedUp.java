package io.premiumbot.api.treasury;

/**
 * Fired (synchronously, inside the paying update's transaction) when an operator's top-up was paid: the hook where
 * the stored Star balance is refreshed, so the Stars are counted at once rather than at the next scheduled read.
 */
public record StarsToppedUp(long topUpId, long stars) {}
