package io.premiumbot.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code SHOP_PAYMENT_METHODS}: the three shapes a shop may take, and anything else refused with the reason. */
class PaymentMethodsTest {

    @Test
    void bothStarsAloneAndUsdtAloneAreAccepted() {
        assertEquals(Set.of("usdt", "stars"), PaymentMethods.parse("usdt,stars"));
        assertEquals(Set.of("stars"), PaymentMethods.parse(" Stars "));
        assertEquals(Set.of("usdt"), PaymentMethods.parse("usdt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " , ", "ton", "stars,ton", "usdt;stars"})
    void anythingElseStopsTheServiceNamingTheSetting(String configured) {
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> PaymentMethods.parse(configured));
        assertTrue(refused.getMessage().startsWith("SHOP_PAYMENT_METHODS must be"), refused.getMessage());
    }
}
