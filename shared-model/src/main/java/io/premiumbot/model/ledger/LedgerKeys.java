package io.premiumbot.model.ledger;

import java.util.Locale;

/**
 * The idempotency key of every money move, in one place: a move both services can make (a refund, an order paid
 * from the wallet, a deposit) gets the same key whichever service makes it, so the ledger's unique key makes it
 * happen once.
 */
public final class LedgerKeys {

    private LedgerKeys() {}

    /** The price of an order taken from the buyer's wallet. */
    public static String orderPayment(String orderId) {
        return "order-payment:" + orderId;
    }

    /** The price of an order given back to the buyer's wallet. */
    public static String refund(String orderId) {
        return "refund:" + orderId;
    }

    /** Money received from a provider, keyed by the provider's own id of it (a TRC20 transaction hash: {@code trc20:<hash>}). */
    public static String deposit(String provider, String externalId) {
        return provider.toLowerCase(Locale.ROOT) + ":" + externalId;
    }

    /** An operator's adjustment, keyed by the operator's own idempotency key so a retried request books once. */
    public static String adjustment(long telegramId, String operatorKey) {
        return "adjustment:" + telegramId + ":" + operatorKey;
    }

    /** A referrer's share of one delivered order: credited once per order, whoever settles it. */
    public static String referral(String orderId) {
        return "referral:" + orderId;
    }
}
