package io.premiumbot.worker.payments;

/**
 * What one transfer did. {@code userId} is the wallet credited (null unless CREDITED); {@code paidOrderId} the
 * order it paid (null when none), whose delivery job goes out after the commit.
 */
public record TransferOutcome(Kind kind, Long userId, String paidOrderId, String detail) {

    public enum Kind {
        /** Not ours: another token, another recipient, wrong decimals, not a transfer, no positive value. */
        IGNORED,
        /** Already recorded by an earlier poll or another replica: nothing credited twice. */
        DUPLICATE,
        /** In a payer's wallet (and maybe paid an order). */
        CREDITED,
        /** Recorded, payer unknown: listed for the operator. */
        UNMATCHED
    }

    static TransferOutcome ignored(String why) {
        return new TransferOutcome(Kind.IGNORED, null, null, why);
    }

    static TransferOutcome duplicate() {
        return new TransferOutcome(Kind.DUPLICATE, null, null, null);
    }

    static TransferOutcome unmatched() {
        return new TransferOutcome(Kind.UNMATCHED, null, null, null);
    }

    static TransferOutcome credited(long userId, String paidOrderId, String how) {
        return new TransferOutcome(Kind.CREDITED, userId, paidOrderId, how);
    }
}
