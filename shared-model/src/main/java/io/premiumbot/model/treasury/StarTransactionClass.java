package io.premiumbot.model.treasury;

import java.util.Arrays;
import java.util.List;

/**
 * What explains one of the bot's Star transactions (table {@code star_transactions}). The first four are our own
 * records, each transaction matched exactly to the one row that explains it; every other class is a movement our
 * orders don't explain: the operator is shown it and alerted until they acknowledge it.
 */
public enum StarTransactionClass {
    /** A buyer's Stars payment we recorded (its charge id, payer and amount). */
    CUSTOMER_PAYMENT(true),
    /** An operator's top-up invoice, paid by that operator. */
    TOP_UP(true),
    /** A Premium gift proven to be one delivery attempt's. */
    GIFT(true),
    /** A Stars refund we asked for. */
    REFUND(true),
    /** An incoming invoice payment none of our records names (yet). */
    UNMATCHED_PAYMENT(false),
    /** A Premium gift no delivery attempt is proven to have made (yet). */
    UNMATCHED_GIFT(false),
    /** Stars taken back that we did not refund: a buyer's chargeback with the store they bought their Stars from. */
    CHARGEBACK(false),
    /** Stars withdrawn through Fragment (or a failed withdrawal coming back). */
    WITHDRAWAL(false),
    /** Paid broadcasts (Bot API above the free message rate). */
    PAID_BROADCAST(false),
    /** Telegram Ads. */
    ADS(false),
    /** Stars a connected business account transferred to the bot. */
    BUSINESS_TRANSFER(false),
    /** A kind Telegram names that the shop never makes (regular gifts, paid media, affiliate, chats, "other"). */
    OTHER(false),
    /** A kind this version does not know. */
    UNKNOWN(false);

    private final boolean explained;

    StarTransactionClass(boolean explained) {
        this.explained = explained;
    }

    /** Whether our own records explain it. */
    public boolean explained() {
        return explained;
    }

    public static List<StarTransactionClass> unexplained() {
        return Arrays.stream(values()).filter(c -> !c.explained).toList();
    }
}
