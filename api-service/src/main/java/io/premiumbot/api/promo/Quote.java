package io.premiumbot.api.promo;

import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;

/**
 * What a purchase costs: the list prices (USDT, and the operator's Stars price for the plan) and what the buyer is
 * charged after a promo code, if one applies. The price shown is the price charged, so a confirmation keeps its quote
 * and the order is made from it. What the gift costs the bot ({@link Months#stars()}) is not part of it.
 */
public record Quote(
        Months months, Money listPrice, Money price, int starListPrice, int stars, Long promoCodeId, String promoCode) {

    public Quote {
        if (!price.isPositive() || price.compareTo(listPrice) > 0 || stars < 1 || stars > starListPrice) {
            throw new IllegalArgumentException("a quote charges a positive amount no more than the list price");
        }
        if (promoCodeId == null && (!price.equals(listPrice) || stars != starListPrice)) {
            throw new IllegalArgumentException("only a promo code discounts a quote");
        }
    }

    /** At the list prices: no code. */
    public static Quote list(Months months, Money listPrice, int starListPrice) {
        return new Quote(months, listPrice, listPrice, starListPrice, starListPrice, null, null);
    }

    public boolean discounted() {
        return promoCodeId != null;
    }

    public Money discount() {
        return listPrice.minus(price);
    }

    public int discountStars() {
        return starListPrice - stars;
    }
}
