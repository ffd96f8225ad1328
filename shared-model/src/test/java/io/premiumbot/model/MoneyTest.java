package io.premiumbot.model;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.premiumbot.model.money.InvalidAmountException;
import io.premiumbot.model.money.Money;

class MoneyTest {

    @Test
    void parsesAndPrintsWithSixDecimals() {
        Money amount = Money.parse("10.456");
        assertEquals(10_456_000L, amount.micros());
        assertEquals("10.456000", amount.plain());
        assertEquals("10.456000 USDT", amount.toString());
    }

    @Test
    void keepsEveryMicroThroughArithmetic() {
        Money sum = Money.ZERO;
        for (int i = 0; i < 10; i++) {
            sum = sum.plus(Money.parse("0.1"));
        }
        assertEquals(Money.ofUnits(1), sum);
        assertEquals(
                "0.000003",
                Money.parse("0.000001").plus(Money.parse("0.000002")).plain());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0000001", "1e3", " 1", "1,5", "", "abc", "1.", ".5", "+1", "1234567890123"})
    void refusesAnythingThatIsNotAnExactAmount(String text) {
        assertThrows(InvalidAmountException.class, () -> Money.parse(text));
    }

    @Test
    void refusesNull() {
        assertThrows(InvalidAmountException.class, () -> Money.parse(null));
    }

    @Test
    void negativeAmountsKeepTheirSign() {
        Money debit = Money.parse("-12.5");
        assertTrue(debit.isNegative());
        assertEquals("-12.500000", debit.plain());
        assertEquals(Money.parse("12.5"), debit.negate());
    }

    @Test
    void overflowFailsInsteadOfWrapping() {
        Money huge = Money.ofMicros(Long.MAX_VALUE);
        assertThrows(ArithmeticException.class, () -> huge.plus(Money.ofMicros(1)));
    }

    @Test
    void coversComparesExactly() {
        assertTrue(Money.parse("10").covers(Money.parse("10.000000")));
        assertFalse(Money.parse("9.999999").covers(Money.parse("10")));
    }
}
