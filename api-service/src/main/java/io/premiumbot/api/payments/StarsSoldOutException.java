package io.premiumbot.api.payments;

/**
 * The bot's Stars, less what is already promised and the safety margin, don't cover this order's gift: the purchase
 * rolls back whole (no debit, no pay amount, no invoice) and the customer is told Premium is sold out for now.
 */
public class StarsSoldOutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String orderId;
    private final int giftStars;

    public StarsSoldOutException(String orderId, int giftStars) {
        super("the Stars available don't cover order " + orderId + " (" + giftStars + " Stars)");
        this.orderId = orderId;
        this.giftStars = giftStars;
    }

    public String orderId() {
        return orderId;
    }

    public int giftStars() {
        return giftStars;
    }
}
