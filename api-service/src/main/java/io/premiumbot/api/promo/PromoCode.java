package io.premiumbot.api.promo;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;

/**
 * A promo code as the operator made it: {@code percentOff} (1–99) or {@code amountOff} (USDT), for some plans, in a
 * window, with an optional total cap. {@code uses} counts the live uses (a refunded or expired order gave its back).
 */
public record PromoCode(
        long id,
        String code,
        Integer percentOff,
        Money amountOff,
        List<Months> months,
        Instant validFrom,
        Instant validUntil,
        Integer maxUses,
        int uses,
        Instant disabledAt,
        String createdBy,
        Instant createdAt) {

    /** Where a code stands now, as the operator and the customer are told. */
    public enum Status {
        ACTIVE,
        SCHEDULED,
        ENDED,
        USED_UP,
        DISABLED
    }

    public Status status(Instant now) {
        if (disabledAt != null) {
            return Status.DISABLED;
        }
        if (validUntil != null && !validUntil.isAfter(now)) {
            return Status.ENDED;
        }
        if (validFrom != null && validFrom.isAfter(now)) {
            return Status.SCHEDULED;
        }
        if (maxUses != null && uses >= maxUses) {
            return Status.USED_UP;
        }
        return Status.ACTIVE;
    }

    /**
     * The price of {@code months} at {@code listPrice} with this code; empty when the code isn't for those months or
     * would leave nothing to charge. A percentage is taken off to the micro-USDT, the fraction of a micro left to the
     * shop; the Stars price keeps the same share of the plan's Stars list price, rounded up to whole Stars.
     */
    public Optional<Quote> apply(Months plan, Money listPrice, int starListPrice) {
        if (!months.contains(plan)) {
            return Optional.empty();
        }
        long list = listPrice.micros();
        long discount = percentOff != null ? Math.multiplyExact(list, percentOff) / 100 : amountOff.micros();
        if (discount <= 0 || discount >= list) {
            return Optional.empty();
        }
        long price = list - discount;
        long starsScaled = Math.multiplyExact((long) starListPrice, price);
        int stars = Math.toIntExact((starsScaled + list - 1) / list);
        return Optional.of(new Quote(plan, listPrice, Money.ofMicros(price), starListPrice, stars, id, code));
    }

    /** {@code 10%} or {@code 2.000000 USDT}. */
    public String discountLabel() {
        return percentOff != null ? percentOff + "%" : amountOff.toString();
    }

    /** {@code 3, 6, 12}. */
    public String monthsLabel() {
        return String.join(
                ", ", months.stream().map(m -> String.valueOf(m.count())).toList());
    }

    /** Months as PostgreSQL's {@code array_to_string} wrote them ({@code "3,6"}). */
    static List<Months> months(String stored) {
        return Arrays.stream(stored.split(","))
                .map(String::strip)
                .map(Integer::parseInt)
                .map(Months::ofCount)
                .sorted()
                .toList();
    }
}
