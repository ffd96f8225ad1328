package io.premiumbot.model.money;

import java.math.BigDecimal;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An exact USDT amount in integer micro-units (6 decimals, as TRC20 USDT). Arithmetic overflows loudly
 * instead of wrapping, and nothing ever rounds: text with more than 6 decimals is refused.
 */
public record Money(long micros) implements Comparable<Money> {

    public static final int SCALE = 6;
    public static final long MICROS_PER_UNIT = 1_000_000L;
    public static final Money ZERO = new Money(0);

    /** Up to 12 integer digits keeps every amount far from {@code Long} overflow, even summed. */
    private static final Pattern TEXT = Pattern.compile("-?\\d{1,12}(\\.\\d{1,6})?");

    public static Money ofMicros(long micros) {
        return new Money(micros);
    }

    public static Money ofUnits(long units) {
        return new Money(Math.multiplyExact(units, MICROS_PER_UNIT));
    }

    /** Parses {@code "10.456"} or {@code "10.456000"}; refuses exponents, spaces, commas and extra decimals. */
    @JsonCreator
    public static Money parse(String text) {
        if (text == null || !TEXT.matcher(text).matches()) {
            throw new InvalidAmountException(text);
        }
        BigDecimal value = new BigDecimal(text).setScale(SCALE);
        return new Money(value.unscaledValue().longValueExact());
    }

    public Money plus(Money other) {
        return new Money(Math.addExact(micros, other.micros));
    }

    public Money minus(Money other) {
        return new Money(Math.subtractExact(micros, other.micros));
    }

    public Money negate() {
        return new Money(Math.negateExact(micros));
    }

    public boolean isPositive() {
        return micros > 0;
    }

    public boolean isNegative() {
        return micros < 0;
    }

    public boolean covers(Money other) {
        return micros >= other.micros;
    }

    public BigDecimal toBigDecimal() {
        return BigDecimal.valueOf(micros, SCALE);
    }

    /** {@code "10.456000"}: the JSON form, always 6 decimals. */
    @JsonValue
    public String plain() {
        return toBigDecimal().toPlainString();
    }

    /** {@code "10.456000 USDT"}: the form customers and logs see. */
    @Override
    public String toString() {
        return plain() + " USDT";
    }

    @Override
    public int compareTo(Money other) {
        return Long.compare(micros, other.micros);
    }
}
