package io.premiumbot.api.payments;

import java.time.Instant;
import java.util.Locale;

import io.premiumbot.model.order.Months;
import io.premiumbot.model.treasury.StarTreasuryNumbers;

/**
 * The treasury as the operator reads it, in Stars: the balance at the worker's last read ({@code balanceAt}; null
 * before the first), what is reserved (gifts of paid orders, unpaid orders' holds, spent since the read), the safety
 * margin, what is available to sell, and the runway at the last 24 hours' gift spend ({@code runway} in hours, empty
 * with no gifts in that time).
 */
public record TreasuryView(
        Long balance,
        Instant balanceAt,
        long paid,
        long unpaid,
        long spentSinceRead,
        long reserved,
        long margin,
        long available,
        String runway,
        Instant soldOutSince) {

    static TreasuryView of(StarTreasuryNumbers numbers, long margin) {
        double hours = numbers.runwayHours(margin);
        return new TreasuryView(
                numbers.balance(),
                numbers.balanceAt(),
                numbers.paid(),
                numbers.unpaid(),
                numbers.spentSinceRead(),
                numbers.reserved(),
                margin,
                numbers.available(margin),
                Double.isInfinite(hours) ? "" : String.format(Locale.ROOT, "%.1f", hours),
                numbers.soldOutSince());
    }

    /** No gift in the last 24 hours: the Stars last as long as nothing sells. */
    public boolean runwayUnbounded() {
        return runway.isEmpty();
    }

    /** Whether every plan (the dearest gift, 12 months) can be sold. */
    public boolean coversEveryPlan() {
        return balance != null && available >= Months.TWELVE.stars();
    }
}
