package io.premiumbot.worker.payments;

import java.util.HashMap;
import java.util.Map;

/**
 * One TRC20 {@code Transfer} event to us, the unit a deposit is booked by. A transaction can carry several (payout
 * services batch withdrawals through multi-send contracts), so its hash alone names no deposit; and TronGrid's
 * account listing gives no event index, nor promises an order among one transaction's events. The identity is
 * therefore what the listing does say: hash, sender and value, plus {@code occurrence}, which counts the transfers of
 * that transaction with that same sender and value (1 unless one transaction sent us the same amount from the same
 * sender twice). Events that share all of hash, sender and value can't be told apart, so which one is the first
 * doesn't matter, and neither the listing's order nor a page boundary changes an id.
 */
public record TransferEvent(Trc20Transfer transfer, int occurrence) {

    public TransferEvent {
        if (occurrence < 1) {
            throw new IllegalArgumentException("occurrence starts at 1: " + occurrence);
        }
    }

    /** The first (usually the only) event of its kind in its transaction. */
    public static TransferEvent first(Trc20Transfer transfer) {
        return new TransferEvent(transfer, 1);
    }

    /**
     * {@code <hash>:<from>:<value in micros>:<occurrence>}: the payment's external id and, after {@code trc20:}, its
     * ledger key (V15 gives rows booked by hash alone the same form). Only for a transfer with a valid value.
     */
    public String id() {
        String from = transfer.from() == null ? "" : transfer.from();
        return transfer.transactionId() + ":" + from + ":" + Long.parseLong(transfer.value()) + ":" + occurrence;
    }

    /**
     * Numbers the events of one poll: the poll reads every transaction's transfers whole (they share a block time,
     * at or after the poll's start), across pages, so the count of identical ones comes out the same on every poll.
     */
    public static final class Numbering {

        private final Map<String, Integer> seen = new HashMap<>();

        public TransferEvent next(Trc20Transfer transfer) {
            String kind =
                    transfer.transactionId() + '\n' + transfer.from() + '\n' + transfer.to() + '\n' + transfer.value();
            return new TransferEvent(transfer, seen.merge(kind, 1, Integer::sum));
        }
    }
}
