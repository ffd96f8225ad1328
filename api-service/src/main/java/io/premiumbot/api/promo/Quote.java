package io.premiumbot.api.promo;

import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;

/**
 * What a purchase costs: the list price (USDT, and Telegram's Stars price) and what the buyer is charged after a promo
 * code, if one applies. The price shown is the price charged, so a confirmation keeps its quote and the order is made
 * from it.
 */
public record Quote(Months months, Money listPrice, Money price, int stars, Long promoCodeId, String promoCode) {

    public Quote {
        if (!price.isPositive() || price.compareTo(listPrice) > 0 || stars < 1 || stars > months.stars()) {
            throw new IllegalArgumentException("a quote charges a positive amount no more than the list price");
        }
        if (promoCodeId == null && (!price.equals(listPrice) || stars != months.stars())) {
            throw new IllegalArgumentException("only a promo code discounts a quote");
        }
    }

    /** At the list price: no code. */
    public static Quote list(Months months, Money listPrice) {
        return new Quote(months, listPrice, listPrice, months.stars(), null, null);
    }

    public boolean discounted() {
        return promoCodeId != null;
    }

    public Money discount() {
        return listPrice.minus(price);
    }

    public int discountStars() {
        return months.stars() - stars;
    }
}
