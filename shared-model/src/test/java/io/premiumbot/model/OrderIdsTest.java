package io.premiumbot.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.premiumbot.model.order.OrderIds;

class OrderIdsTest {

    @Test
    void everyGeneratedIdIsWellFormed() {
        assertTrue(IntStream.range(0, 10_000).mapToObj(i -> OrderIds.next()).allMatch(OrderIds::isWellFormed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PR7K2M9Q", "23456789", "ZZZZZZZZ"})
    void idsOfTheAlphabetAndLengthAreWellFormed(String id) {
        assertTrue(OrderIds.isWellFormed(id));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "PR7K2M9",
                "PR7K2M9QX",
                "pr7k2m9q",
                "PR7K2M0Q",
                "PR7K2M1Q",
                "PR7K2MOQ",
                "PR7K2MIQ",
                "PR7K2M9Q\n",
                "PR7K-M9Q",
                "ПР7K2M9Q"
            })
    void anythingElseIsNot(String id) {
        assertFalse(OrderIds.isWellFormed(id));
    }

    @Test
    void nullIsNotAnOrderId() {
        assertFalse(OrderIds.isWellFormed(null));
    }
}
