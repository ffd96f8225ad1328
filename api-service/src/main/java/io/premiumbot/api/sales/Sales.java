package io.premiumbot.api.sales;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

import io.premiumbot.model.money.Money;

/**
 * A period's sales, as PostgreSQL summed them, and the figures the console shows from them. USDT amounts are micros and
 * Stars whole Stars, both exact; a Star's worth in USD ({@code starPrice}) turns Stars into money only where the two
 * are added up (margin, the cost of Stars discounts).
 */
public record Sales(
        Period period,
        Money starPrice,
        List<Paid> paid,
        List<Delivered> delivered,
        Map<LocalDate, Money> referrals,
        Funnel funnel) {

    /** How a customer paid: USDT (wallet or on-chain) or Stars. */
    public enum Currency {
        USDT,
        STARS
    }

    /**
     * Orders paid on {@code day} for {@code months} in {@code currency} and not refunded: {@code revenue} is what the
     * customers paid (USDT micros or Stars), {@code discount} what promo codes took off (same unit).
     */
    public record Paid(LocalDate day, int months, Currency currency, long orders, long revenue, long discount) {}

    /** Orders delivered on {@code day}: the Stars their gifts cost the bot, and what their customers paid. */
    public record Delivered(LocalDate day, int months, Currency currency, long orders, long giftStars, long revenue) {}

    /**
     * Confirmations shown in the period, how many of them became a paid order (whatever happened after), and how many
     * of those are delivered.
     */
    public record Funnel(long shown, long paid, long delivered) {}

    /** A plan's margin on the orders delivered in the period: what they brought in less what their gifts cost. */
    public record Margin(int months, long orders, Money usdt, long stars, long giftStars, Money margin) {}

    public long orders(Currency currency) {
        return paid.stream()
                .filter(p -> p.currency() == currency)
                .mapToLong(Paid::orders)
                .sum();
    }

    public long orders() {
        return paid.stream().mapToLong(Paid::orders).sum();
    }

    public Money usdtRevenue() {
        return Money.ofMicros(sum(Currency.USDT, Paid::revenue));
    }

    public long starsRevenue() {
        return sum(Currency.STARS, Paid::revenue);
    }

    public Money usdtDiscounts() {
        return Money.ofMicros(sum(Currency.USDT, Paid::discount));
    }

    public long starsDiscounts() {
        return sum(Currency.STARS, Paid::discount);
    }

    /** What promo codes cost: the USDT taken off plus the Stars taken off at a Star's worth. */
    public Money promoCost() {
        return usdtDiscounts().plus(worth(starsDiscounts()));
    }

    public Money referralCost() {
        return referrals.values().stream().reduce(Money.ZERO, Money::plus);
    }

    public long starsSpent() {
        return delivered.stream().mapToLong(Delivered::giftStars).sum();
    }

    public long deliveredOrders() {
        return delivered.stream().mapToLong(Delivered::orders).sum();
    }

    /** Per plan (3, 6, 12 months), over the orders delivered in the period. */
    public List<Margin> margins() {
        return List.of(3, 6, 12).stream().map(this::margin).toList();
    }

    public Money margin() {
        return margins().stream().map(Margin::margin).reduce(Money.ZERO, Money::plus);
    }

    private Margin margin(int months) {
        long orders = 0;
        long usdt = 0;
        long stars = 0;
        long giftStars = 0;
        for (Delivered d : delivered) {
            if (d.months() != months) {
                continue;
            }
            orders += d.orders();
            giftStars += d.giftStars();
            if (d.currency() == Currency.STARS) {
                stars += d.revenue();
            } else {
                usdt += d.revenue();
            }
        }
        Money margin = Money.ofMicros(usdt).plus(worth(stars)).minus(worth(giftStars));
        return new Margin(months, orders, Money.ofMicros(usdt), stars, giftStars, margin);
    }

    /** {@code stars} at a Star's worth, exactly. */
    public Money worth(long stars) {
        return Money.ofMicros(Math.multiplyExact(stars, starPrice.micros()));
    }

    /** Per day of the period (every day present, 0 where nothing sold): {@code value} of the matching paid rows. */
    public Map<LocalDate, Long> daily(Currency currency, int months, ToLongFunction<Paid> value) {
        Map<LocalDate, Long> days = zeroes();
        for (Paid p : paid) {
            if ((currency == null || p.currency() == currency) && p.months() == months) {
                days.merge(p.day(), value.applyAsLong(p), Long::sum);
            }
        }
        return days;
    }

    /** Stars spent on gifts per day of the period, by plan. */
    public Map<LocalDate, Long> starsSpent(int months) {
        Map<LocalDate, Long> days = zeroes();
        for (Delivered d : delivered) {
            if (d.months() == months) {
                days.merge(d.day(), d.giftStars(), Long::sum);
            }
        }
        return days;
    }

    private Map<LocalDate, Long> zeroes() {
        Map<LocalDate, Long> days = new TreeMap<>();
        period.dates().forEach(day -> days.put(day, 0L));
        return days;
    }

    private long sum(Currency currency, ToLongFunction<Paid> value) {
        return paid.stream()
                .filter(p -> p.currency() == currency)
                .mapToLong(value)
                .sum();
    }
}
