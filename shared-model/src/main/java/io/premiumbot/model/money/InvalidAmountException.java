package io.premiumbot.model.money;

/** Text that is not an exact USDT amount with at most 6 decimals. */
public class InvalidAmountException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidAmountException(String text) {
        super("not an amount with at most 6 decimals: " + (text == null ? "null" : '"' + abbreviate(text) + '"'));
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
