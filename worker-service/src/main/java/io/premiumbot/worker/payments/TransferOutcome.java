package io.premiumbot.worker.payments;

import io.premiumbot.worker.notify.CustomerNotifications.WalletCredit;

/**
 * What one transfer did. {@code userId} is the wallet credited (null unless CREDITED); {@code paidOrderId} the
 * order it paid (null when none), whose delivery job goes out after the commit; {@code credit} what the customer is
 * told when the money stayed in their wallet instead (null when it paid an order, or nobody was credited).
 */
public record TransferOutcome(Kind kind, Long userId, String paidOrderId, String detail, WalletCredit credit) {

    public enum Kind {
        /** Not ours: another token, another recipient, wrong decimals, not a transfer, no positive value. */
        IGNORED,
        /** Already recorded by an earlier poll or another replica: nothing credited twice. */
        DUPLICATE,
        /** In the wallet of the request's holder (and maybe paid its order). */
        CREDITED,
        /** Recorded, no request held its amount at its block time: listed for the operator. */
        UNMATCHED
    }

    static TransferOutcome ignored(String why) {
        return new TransferOutcome(Kind.IGNORED, null, null, why, null);
    }

    static TransferOutcome duplicate() {
        return new TransferOutcome(Kind.DUPLICATE, null, null, null, null);
    }

    static TransferOutcome unmatched() {
        return new TransferOutcome(Kind.UNMATCHED, null, null, null, null);
    }

    static TransferOutcome paidOrder(long userId, String orderId) {
        return new TransferOutcome(Kind.CREDITED, userId, orderId, "paid_order", null);
    }

    static TransferOutcome walletOnly(WalletCredit credit) {
        return new TransferOutcome(
                Kind.CREDITED, credit.userId(), null, credit.kind().name().toLowerCase(java.util.Locale.ROOT), credit);
    }
}
