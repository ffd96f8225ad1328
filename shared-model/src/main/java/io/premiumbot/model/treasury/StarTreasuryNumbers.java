package io.premiumbot.model.treasury;

import java.time.Instant;

/**
 * The treasury at one moment, in Stars. {@code balance} and {@code balanceAt} are null until the worker first read
 * the balance. Reserved: gifts promised to paid orders ({@code paid}), unpaid orders' holds ({@code unpaid}), and
 * gifts and Stars refunds after the read ({@code spentSinceRead}). {@code spentLastDay}: gifts delivered in the last
 * 24 hours.
 */
public record StarTreasuryNumbers(
        Long balance,
        Instant balanceAt,
        Instant soldOutSince,
        long paid,
        long unpaid,
        long spentSinceRead,
        long spentLastDay) {

    public long reserved() {
        return paid + unpaid + spentSinceRead;
    }

    public boolean known() {
        return balance != null;
    }

    /** What may still be sold: balance - reserved - margin (negative when a chargeback or a late read overtook it). */
    public long available(long margin) {
        return known() ? balance - reserved() - margin : 0;
    }

    /** Hours of sales the available Stars last at the last 24 hours' rate: infinite with no sales, 0 when none left. */
    public double runwayHours(long margin) {
        long available = available(margin);
        if (available <= 0) {
            return 0;
        }
        return spentLastDay == 0 ? Double.POSITIVE_INFINITY : available * 24.0 / spentLastDay;
    }
}
