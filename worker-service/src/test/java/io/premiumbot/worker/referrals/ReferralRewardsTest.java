package io.premiumbot.worker.referrals;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.order.OrderIds;
import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/**
 * A referrer earns their share (5 % in the test profile, at most 1 USDT a month) of each delivered order a customer they
 * brought paid in USDT: once per order, whoever delivers it, and nothing for an order that was refunded.
 */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReferralRewardsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long DEPOSIT = 40_000_000L;
    /** 5 % of 13.990000 USDT. */
    private static final long SHARE = 699_500L;

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @Inject
    PayReferralRewards rewards;

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
        fixtures.forgetStarTransactions();
    }

    private long referrer() {
        long id = fixtures.anotherTelegramUser();
        fixtures.update(
                "insert into users (telegram_id, username, language_code, balance_micros) values (?, ?, 'en', 0)",
                id,
                "ref" + id);
        return id;
    }

    private long customerReferredBy(long referrer) {
        long customer = fixtures.userWithDeposit(DEPOSIT);
        fixtures.update("insert into referrals (customer_id, referrer_id) values (?, ?)", customer, referrer);
        return customer;
    }

    private void settle() {
        try {
            VertxContextSupport.subscribeAndAwait(() -> rewards.settlePending());
        } catch (Throwable e) {
            throw new AssertionError("the settlement run failed", e);
        }
    }

    private String delivered(long buyer) {
        String orderId = fixtures.paidOrder(buyer, buyer);
        fixtures.enqueue(Fixtures.job(orderId, 1));
        await().atMost(WAIT).until(() -> "DELIVERED".equals(fixtures.status(orderId)));
        return orderId;
    }

    private long number(String query, Object... args) {
        return Long.parseLong(fixtures.text(query, args));
    }

    @Test
    void aReferralPaysOncePerDeliveredOrder() {
        long referrer = referrer();
        long customer = customerReferredBy(referrer);
        String orderId = delivered(customer);

        settle();
        settle();

        assertEquals(SHARE, fixtures.balance(referrer));
        assertEquals(fixtures.balance(referrer), fixtures.ledgerSum(referrer));
        assertEquals(
                1,
                number(
                        "select count(*)::text from ledger_entries where user_id = ? and reason = 'REFERRAL'"
                                + " and reference = ? and idempotency_key = ?",
                        referrer,
                        orderId,
                        "referral:" + orderId));
        assertEquals("CREDITED", fixtures.text("select status from referral_rewards where order_id = ?", orderId));
        assertEquals(
                "0.699500 USDT is in your wallet: your share of a purchase by someone you invited. Your wallet now"
                        + " holds 0.699500 USDT; /referrals shows your link and earnings.",
                fixtures.text(
                        "select text from customer_notifications where dedup_key = ? and chat_id = ?",
                        "referral:" + orderId,
                        referrer));
    }

    @Test
    void nothingIsCreditedForARefundedOrder() {
        telegram.onlyKnownUsers();
        long referrer = referrer();
        long customer = customerReferredBy(referrer);
        String orderId = fixtures.paidOrder(customer, fixtures.anotherTelegramUser());
        fixtures.enqueue(Fixtures.job(orderId, 1));
        await().atMost(WAIT).until(() -> "REFUNDED".equals(fixtures.status(orderId)));

        settle();

        assertEquals(0, fixtures.balance(referrer));
        assertEquals(0, number("select count(*)::text from referral_rewards where order_id = ?", orderId));
    }

    @Test
    void theMonthlyCapLimitsWhatAReferrerEarns() {
        long referrer = referrer();
        long customer = customerReferredBy(referrer);
        String first = delivered(customer);
        String second = delivered(customer);

        settle();

        assertEquals(1_000_000L, fixtures.balance(referrer), "the 1 USDT monthly cap of the test profile");
        assertEquals("CREDITED", fixtures.text("select status from referral_rewards where order_id = ?", first));
        assertEquals(
                "CAPPED 300500",
                fixtures.text(
                        "select status || ' ' || amount_micros from referral_rewards where order_id = ?", second));
    }

    @Test
    void anOrderPaidInStarsEarnsNothing() {
        long referrer = referrer();
        long customer = customerReferredBy(referrer);
        String orderId = OrderIds.next();
        fixtures.update("""
                insert into orders (id, buyer_id, recipient_id, months, star_count, price_micros, pay_method, status, paid_at)
                values (?, ?, ?, 3, 1000, ?, 'STARS', 'DELIVERING', now())""", orderId, customer, customer, Fixtures.PRICE_3_MONTHS);
        fixtures.update("update orders set status = 'DELIVERED' where id = ?", orderId);

        settle();

        assertEquals(0, number("select count(*)::text from referral_rewards where order_id = ?", orderId));
        assertEquals(0, fixtures.balance(referrer));
    }
}
