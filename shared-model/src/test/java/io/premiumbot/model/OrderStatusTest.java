package io.premiumbot.model;

import static io.premiumbot.model.order.OrderStatus.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import io.premiumbot.model.order.Months;
import io.premiumbot.model.order.OrderIds;

class OrderStatusTest {

    @Test
    void followsTheSpecifiedMachine() {
        assertTrue(PENDING_PAYMENT.canMoveTo(PAID));
        assertTrue(PENDING_PAYMENT.canMoveTo(EXPIRED));
        assertTrue(PAID.canMoveTo(DELIVERING));
        assertTrue(DELIVERING.canMoveTo(DELIVERED));
        assertTrue(DELIVERING.canMoveTo(FAILED));
        assertTrue(DELIVERING.canMoveTo(DELIVERY_UNKNOWN));
        assertTrue(FAILED.canMoveTo(REFUNDED));
    }

    @Test
    void paidOrdersCannotExpire() {
        assertFalse(PAID.canMoveTo(EXPIRED));
    }

    @Test
    void anExpiredOrderCanOnlyBeRevivedByAPaymentAndNeverDelivered() {
        assertEquals(java.util.EnumSet.of(PAID), EXPIRED.next());
        assertFalse(EXPIRED.canMoveTo(DELIVERING));
    }

    @Test
    void deliveredIsFinal() {
        assertTrue(DELIVERED.isFinal());
        assertFalse(DELIVERED.canMoveTo(DELIVERING));
        assertTrue(REFUNDED.isFinal());
    }

    @Test
    void unknownDeliveriesAreNeverRetriedBlindlyFromDelivering() {
        assertFalse(DELIVERY_UNKNOWN.canMoveTo(DELIVERING));
    }

    @Test
    void starCostsAreTelegramsTable() {
        assertEquals(1000, Months.ofCount(3).stars());
        assertEquals(1500, Months.ofCount(6).stars());
        assertEquals(2500, Months.ofCount(12).stars());
        assertTrue(Months.of(4).isEmpty());
    }

    @Test
    void orderIdsAreShortUpperCaseAndUnambiguous() {
        for (int i = 0; i < 1000; i++) {
            String id = OrderIds.next();
            assertTrue(id.matches("[2-9A-HJ-NP-Z]{8}"), id);
            assertTrue(OrderIds.isWellFormed(id));
        }
        assertFalse(OrderIds.isWellFormed("PR7K2M9O"));
    }
}
