package io.premiumbot.api.promo;

/**
 * A purchase quoted with a code that can't book its use any more (the cap reached meanwhile, the window closed, the code
 * disabled, or the customer's one use taken by a concurrent purchase): the purchase's transaction rolls back whole.
 */
public class PromoCodeUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    public PromoCodeUnavailableException(String code) {
        super("promo code " + code + " can no longer be used for this purchase");
        this.code = code;
    }

    public String code() {
        return code;
    }
}
