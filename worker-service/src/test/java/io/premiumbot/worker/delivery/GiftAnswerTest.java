package io.premiumbot.worker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.worker.telegram.CallWithheld;
import io.premiumbot.worker.telegram.TelegramException;

/** The table of what a gift call's answer means; the rule it keeps is that a gift is never sent twice on a guess. */
class GiftAnswerTest {

    private static final String GIFT = "giftPremiumSubscription";

    @Test
    void anAnswerOfTrueIsADelivery() {
        assertEquals(GiftAnswer.DELIVERED, GiftAnswer.of(null));
        assertEquals(OrderStatus.DELIVERED, GiftAnswer.DELIVERED.orderAfter());
        assertFalse(GiftAnswer.DELIVERED.retries());
    }

    @Test
    void a429WaitsTelegramsRetryAfterWithoutSpendingAnAttempt() {
        GiftAnswer answer = GiftAnswer.of(new TelegramException.RateLimited(GIFT, Duration.ofSeconds(7)));
        assertEquals(GiftAnswer.RATE_LIMITED, answer);
        assertEquals(GiftAnswer.Wait.TELEGRAMS_RETRY_AFTER, answer.waitKind());
        assertFalse(answer.countsAsAttempt());
    }

    @Test
    void aRequestThatNeverLeftWaitsForTelegramWithoutSpendingAnAttempt() {
        for (TelegramException neverLeft : new TelegramException[] {
            new TelegramException.NotSent(GIFT, "circuit open", Duration.ofSeconds(20), null),
            new TelegramException.NotSent(GIFT, "no connection: ConnectException", null, null),
            new TelegramException.Unavailable(GIFT, 401, "Unauthorized", null)
        }) {
            GiftAnswer answer = GiftAnswer.of(neverLeft);
            assertEquals(GiftAnswer.NOT_REACHED, answer, neverLeft.getMessage());
            assertEquals(OrderStatus.PAID, answer.orderAfter());
            assertEquals(GiftAnswer.Wait.UNTIL_REACHABLE, answer.waitKind());
            assertFalse(answer.countsAsAttempt(), neverLeft.getMessage());
        }
    }

    @Test
    void a5xxKeepsTheOrderDeliveringUntilTheStarTransactionsTell() {
        GiftAnswer answer = GiftAnswer.of(new TelegramException.Unavailable(GIFT, 502, "Bad Gateway", null));
        assertEquals(GiftAnswer.SERVER_ERROR, answer);
        assertNull(answer.orderAfter(), "stays DELIVERING");
        assertEquals(GiftAnswer.Wait.STAR_TRANSACTIONS_CHECK, answer.waitKind());
    }

    @Test
    void noAnswerKeepsTheOrderDeliveringUntilTheStarTransactionsTell() {
        GiftAnswer answer =
                GiftAnswer.of(new TelegramException.OutcomeUnknown(GIFT, new java.util.concurrent.TimeoutException()));
        assertEquals(GiftAnswer.NO_ANSWER, answer);
        assertNull(answer.orderAfter(), "stays DELIVERING");
    }

    @Test
    void anUnforeseenFailureIsTreatedAsPossiblyDone() {
        assertEquals(GiftAnswer.NO_ANSWER, GiftAnswer.of(new IllegalStateException("a bug between send and answer")));
    }

    @Test
    void aLowStarsBalancePausesDeliveriesWithoutSpendingAnAttempt() {
        GiftAnswer answer = GiftAnswer.of(new TelegramException.Rejected(GIFT, 400, "Bad Request: BALANCE_TOO_LOW"));
        assertEquals(GiftAnswer.BALANCE_TOO_LOW, answer);
        assertEquals(OrderStatus.PAID, answer.orderAfter());
        assertFalse(answer.countsAsAttempt());
    }

    @Test
    void aDefiniteRefusalFailsTheOrderAndIsNeverRetried() {
        GiftAnswer answer = GiftAnswer.of(new TelegramException.Rejected(GIFT, 400, "Bad Request: user not found"));
        assertEquals(GiftAnswer.REJECTED, answer);
        assertEquals(OrderStatus.FAILED, answer.orderAfter());
        assertFalse(answer.retries());
    }

    @Test
    void aCallWithheldBeforeSendingPutsTheOrderBackToPaid() {
        GiftAnswer answer = GiftAnswer.of(new CallWithheld("it is no longer in this worker's processing list"));
        assertEquals(GiftAnswer.WITHHELD, answer);
        assertEquals(OrderStatus.PAID, answer.orderAfter());
    }

    @Test
    void onlyAnswersThatProveNothingWasDonePutTheOrderBackToPaid() {
        Set<GiftAnswer> backToPaid = EnumSet.noneOf(GiftAnswer.class);
        for (GiftAnswer answer : GiftAnswer.values()) {
            if (answer.orderAfter() == OrderStatus.PAID) {
                backToPaid.add(answer);
            }
        }
        assertEquals(
                EnumSet.of(
                        GiftAnswer.WITHHELD,
                        GiftAnswer.RATE_LIMITED,
                        GiftAnswer.NOT_REACHED,
                        GiftAnswer.BALANCE_TOO_LOW),
                backToPaid);
    }

    @Test
    void everyRowThatRetriesNamesItsMetricLabel() {
        for (GiftAnswer answer : GiftAnswer.values()) {
            assertEquals(answer.retries(), answer.retryClass() != null, answer.name());
        }
    }
}
