package io.premiumbot.model.order;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Short, upper-case, human-readable order ids such as {@code PR7K2M9Q}: no 0/O or 1/I to misread. The one rule for
 * what an order id looks like: the bot's buttons, the operator API and the console check input against it.
 */
public final class OrderIds {

    private static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final int LENGTH = 8;

    /** The rule as a regular expression, for Bean Validation's {@code @Pattern} on path parameters. */
    public static final String PATTERN = "[2-9A-HJ-NP-Z]{8}";
    /** What a client is told when an id breaks the rule. */
    public static final String RULE = "order ids are 8 upper-case letters and digits, without 0, 1, I or O";

    private static final Pattern WELL_FORMED = Pattern.compile(PATTERN);
    private static final SecureRandom RANDOM = new SecureRandom();

    private OrderIds() {}

    public static String next() {
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(id);
    }

    public static boolean isWellFormed(String id) {
        return id != null && WELL_FORMED.matcher(id).matches();
    }
}
