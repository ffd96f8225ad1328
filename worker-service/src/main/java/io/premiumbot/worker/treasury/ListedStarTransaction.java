package io.premiumbot.worker.treasury;

import java.time.Instant;

import io.premiumbot.model.treasury.StarTransactionClass;
import io.vertx.core.json.JsonObject;

/**
 * One StarTransaction as getStarTransactions lists it, with the class its kind alone gives: an invoice payment in is
 * {@code UNMATCHED_PAYMENT}, a user's Stars going back out {@code CHARGEBACK}, a Premium gift {@code UNMATCHED_GIFT} —
 * until {@link StarTransactionClassifier} finds the exact record of ours that explains it — and every other kind is
 * what it is (Fragment: a withdrawal; Telegram API: paid broadcasts; Telegram Ads; business account transfers).
 * Amounts are absolute; a transaction with a receiver, or a negative amount, went out.
 */
record ListedStarTransaction(
        String transactionId,
        boolean out,
        long stars,
        int nanostars,
        String partner,
        String transactionType,
        Long partnerUserId,
        String invoicePayload,
        Instant madeAt,
        long position,
        StarTransactionClass provisional) {

    private static final int TEXT = 128;
    private static final int NAME = 32;

    static ListedStarTransaction of(JsonObject transaction, long position) {
        JsonObject source = transaction.getJsonObject("source");
        JsonObject receiver = transaction.getJsonObject("receiver");
        long amount = transaction.getLong("amount", 0L);
        int nanos = transaction.getInteger("nanostar_amount", 0);
        boolean out = (receiver != null && source == null) || amount < 0 || nanos < 0;
        JsonObject partner = source != null ? source : receiver;
        String partnerType = partner == null ? "none" : partner.getString("type", "none");
        String transactionType = partner == null ? null : partner.getString("transaction_type");
        JsonObject user = partner == null ? null : partner.getJsonObject("user");
        String payload = partner == null ? null : partner.getString("invoice_payload");
        StarTransactionClass provisional = (source != null && receiver != null)
                ? StarTransactionClass.UNKNOWN
                : provisional(partnerType, transactionType, payload, out);
        return new ListedStarTransaction(
                // Telegram always names a transaction; were it not to, its place in the list names it
                cut(transaction.getString("id", "unnamed@" + position), TEXT),
                out,
                Math.abs(amount),
                Math.abs(nanos),
                cut(partnerType, NAME),
                cut(transactionType, NAME),
                user == null ? null : user.getLong("id"),
                cut(payload, TEXT),
                Instant.ofEpochSecond(transaction.getLong("date", 0L)),
                position,
                provisional);
    }

    private static StarTransactionClass provisional(String partner, String type, String payload, boolean out) {
        return switch (partner) {
            case "user" -> userTransaction(type, payload, out);
            case "fragment" -> StarTransactionClass.WITHDRAWAL;
            case "telegram_api" -> StarTransactionClass.PAID_BROADCAST;
            case "telegram_ads" -> StarTransactionClass.ADS;
            case "affiliate_program", "chat", "other" -> StarTransactionClass.OTHER;
            default -> StarTransactionClass.UNKNOWN;
        };
    }

    private static StarTransactionClass userTransaction(String type, String payload, boolean out) {
        if (type == null) {
            // before Bot API 9.0 a user's transactions had no type: only an invoice's payload says what it was
            return payload == null ? StarTransactionClass.UNKNOWN : invoice(out);
        }
        return switch (type) {
            case "invoice_payment" -> invoice(out);
            case "paid_media_payment" -> out ? StarTransactionClass.CHARGEBACK : StarTransactionClass.OTHER;
            case "premium_purchase" -> out ? StarTransactionClass.UNMATCHED_GIFT : StarTransactionClass.OTHER;
            case "business_account_transfer" ->
                out ? StarTransactionClass.OTHER : StarTransactionClass.BUSINESS_TRANSFER;
            case "gift_purchase" -> StarTransactionClass.OTHER;
            default -> StarTransactionClass.UNKNOWN;
        };
    }

    /** A payment in; a payment's Stars going back out are a refund of ours or else a chargeback. */
    private static StarTransactionClass invoice(boolean out) {
        return out ? StarTransactionClass.CHARGEBACK : StarTransactionClass.UNMATCHED_PAYMENT;
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
