package io.premiumbot.worker.refunds;

/**
 * One PENDING Stars refund as claimed by this worker. {@code undeliverable}: the Stars paid {@code orderId}, which is
 * FAILED until the refund is done; otherwise they never paid an order ({@code orderId}, if any, only for the operator).
 */
record StarRefund(
        long id, String chargeId, long userId, String orderId, int stars, int attempts, boolean undeliverable) {}
