package io.premiumbot.api.payments;

import java.time.Instant;

/**
 * The customer holds the most unpaid on-chain amounts allowed: requests they didn't pay keep their amounts reserved
 * until expiry plus the late-payment quarantine, so they count against them, and throwaway accounts can't hold a
 * price's amounts for a day.
 */
public class TooManyUnpaidRequestsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long unpaid;
    private final transient Instant firstFreed;

    public TooManyUnpaidRequestsException(long userId, long unpaid, Instant firstFreed) {
        super("user " + userId + " holds " + unpaid + " unpaid payment amounts");
        this.unpaid = unpaid;
        this.firstFreed = firstFreed;
    }

    public long unpaid() {
        return unpaid;
    }

    /** When the earliest of those amounts comes out of quarantine and the customer may ask again. */
    public Instant firstFreed() {
        return firstFreed;
    }
}
