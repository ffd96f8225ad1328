package io.premiumbot.api.sales;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.premiumbot.model.money.Money;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/**
 * The sales figures PostgreSQL sums for a period, for orders seeded at known times: each test owns a week of its own
 * year, so the history other tests write never counts. A Star is worth 0.012 USD in the test profile.
 */
@QuarkusTest
@QuarkusTestResource(FakeTelegram.class)
class SalesFiguresTest {

    private static final ZoneId UTC = ZoneOffset.UTC;

    @Inject
    Pool pool;

    @Inject
    SalesQueries sales;

    private static Instant at(LocalDate day, int hour) {
        return day.atTime(hour, 0).toInstant(ZoneOffset.UTC);
    }

    private Sales week(LocalDate first, ZoneId zone) {
        return sales.of(new Period(first.plusDays(6), 7, zone)).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void revenueCountsTheOrdersPaidInThePeriodByCurrencyAndLeavesRefundsOut() {
        LocalDate first = LocalDate.of(2001, 3, 5);
        SalesSeed seed = new SalesSeed(pool);
        seed.usdt(3, 13_990_000, "DELIVERED", at(first, 10), at(first, 11));
        seed.usdt(6, 18_990_000, "PAID", at(first, 12), null);
        seed.usdt(12, 31_990_000, "REFUNDED", at(first.plusDays(1), 9), null);
        seed.stars(3, "DELIVERED", at(first.plusDays(2), 9), at(first.plusDays(2), 10), null, 0);
        seed.usdt(3, 13_990_000, "DELIVERED", at(first.minusDays(1), 23), at(first.minusDays(1), 23));
        seed.usdt(3, 13_990_000, "PAID", at(first.plusDays(7), 0), null);

        Sales week = week(first, UTC);

        assertEquals(3, week.orders());
        assertEquals(2, week.orders(Sales.Currency.USDT));
        assertEquals(1, week.orders(Sales.Currency.STARS));
        assertEquals(Money.parse("32.980000"), week.usdtRevenue());
        assertEquals(1000, week.starsRevenue());
        Map<LocalDate, Long> threeMonthsUsdt = week.daily(Sales.Currency.USDT, 3, Sales.Paid::revenue);
        assertEquals(13_990_000L, threeMonthsUsdt.get(first));
        assertEquals(7, threeMonthsUsdt.size(), "every day of the period is there, sold or not");
    }

    @Test
    void starsRevenueIsWhatTheCustomerWasChargedNotTheGiftsCost() {
        LocalDate first = LocalDate.of(2001, 4, 2);
        String order = new SalesSeed(pool).stars(3, "DELIVERED", at(first, 9), at(first, 10), null, 0);
        // the operator's Stars price for 3 months was 1,700 when this order was charged (the gift cost 1,000)
        pool.preparedQuery("update orders set star_price = 1700 where id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(order))
                .await()
                .atMost(Duration.ofSeconds(5));

        assertEquals(1700, week(first, UTC).starsRevenue());
    }

    @Test
    void marginIsWhatDeliveredOrdersBroughtInLessTheirGiftsStarsAtTheConfiguredPrice() {
        LocalDate first = LocalDate.of(2002, 6, 10);
        SalesSeed seed = new SalesSeed(pool);
        seed.usdt(3, 13_990_000, "DELIVERED", at(first, 8), at(first, 9));
        seed.stars(6, "DELIVERED", at(first.plusDays(1), 8), at(first.plusDays(1), 9), null, 0);
        seed.usdt(12, 31_990_000, "DELIVERED", at(first.plusDays(2), 8), at(first.plusDays(3), 9));
        seed.usdt(3, 13_990_000, "PAID", at(first.plusDays(2), 8), null);

        Sales week = week(first, UTC);

        assertEquals(5000, week.starsSpent());
        // 13.99 - 1000 × 0.012; 1500 Stars paid - 1500 Stars spent; 31.99 - 2500 × 0.012
        assertEquals(
                Map.of(3, Money.parse("1.990000"), 6, Money.parse("0.000000"), 12, Money.parse("1.990000")),
                Map.of(
                        3, week.margins().get(0).margin(),
                        6, week.margins().get(1).margin(),
                        12, week.margins().get(2).margin()));
        assertEquals(Money.parse("3.980000"), week.margin());
    }

    @Test
    void promoCostIsTheDiscountsGivenOnOrdersPaidAndNotRefunded() {
        LocalDate first = LocalDate.of(2003, 9, 1);
        SalesSeed seed = new SalesSeed(pool);
        long promo = seed.promoCode();
        seed.order(3, 12_591_000, "TRC20", "DELIVERED", at(first, 8), at(first, 9), promo, 1_399_000, 0, null);
        seed.stars(6, "PAID", at(first.plusDays(1), 8), null, promo, 150);
        seed.order(6, 17_091_000, "WALLET", "REFUNDED", at(first, 8), null, promo, 1_899_000, 0, null);

        Sales week = week(first, UTC);

        assertEquals(Money.parse("1.399000"), week.usdtDiscounts());
        assertEquals(150, week.starsDiscounts());
        // 1.399 USDT + 150 Stars × 0.012
        assertEquals(Money.parse("3.199000"), week.promoCost());
        assertEquals(1350, week.starsRevenue(), "a Stars customer paid the discounted Stars");
    }

    @Test
    void referralCostIsTheReferralCreditsTheLedgerBookedInThePeriod() {
        LocalDate first = LocalDate.of(2004, 2, 2);
        SalesSeed seed = new SalesSeed(pool);
        seed.referralCredit(500_000, at(first, 10));
        seed.referralCredit(1_250_000, at(first.plusDays(2), 10));
        seed.referralCredit(2_000_000, at(first.plusDays(7), 10));

        assertEquals(Money.parse("1.750000"), week(first, UTC).referralCost());
    }

    @Test
    void theFunnelFollowsTheConfirmationsShownToPaidAndDelivered() {
        LocalDate first = LocalDate.of(2005, 11, 7);
        SalesSeed seed = new SalesSeed(pool);
        seed.order(
                3,
                13_990_000,
                "WALLET",
                "DELIVERED",
                at(first, 9),
                at(first, 9),
                null,
                0,
                0,
                seed.confirmation(3, at(first, 8)));
        seed.order(
                3,
                13_990_000,
                "WALLET",
                "PAID",
                at(first.plusDays(1), 9),
                null,
                null,
                0,
                0,
                seed.confirmation(3, at(first.plusDays(1), 8)));
        seed.order(
                6,
                18_990_000,
                "TRC20",
                "REFUNDED",
                at(first.plusDays(1), 9),
                null,
                null,
                0,
                0,
                seed.confirmation(6, at(first.plusDays(1), 8)));
        seed.confirmation(12, at(first.plusDays(3), 8));
        seed.confirmation(12, at(first.plusDays(4), 8));
        seed.order(
                3,
                13_990_000,
                "WALLET",
                "DELIVERED",
                at(first.minusDays(1), 9),
                at(first.minusDays(1), 9),
                null,
                0,
                0,
                seed.confirmation(3, at(first.minusDays(1), 8)));

        assertEquals(new Sales.Funnel(5, 3, 1), week(first, UTC).funnel());
    }

    @Test
    void aDayEndsAtMidnightInTheConsolesTimeZone() {
        LocalDate day = LocalDate.of(2006, 3, 5);
        SalesSeed seed = new SalesSeed(pool);
        // 00:30 on the 5th in Shanghai, still the 4th in UTC
        seed.usdt(3, 13_990_000, "PAID", Instant.parse("2006-03-04T16:30:00Z"), null);

        Sales shanghai =
                sales.of(new Period(day, 1, ZoneId.of("Asia/Shanghai"))).await().atMost(Duration.ofSeconds(10));
        Sales utc = sales.of(new Period(day, 1, UTC)).await().atMost(Duration.ofSeconds(10));

        assertEquals(1, shanghai.orders());
        assertEquals(0, utc.orders());
    }
}
