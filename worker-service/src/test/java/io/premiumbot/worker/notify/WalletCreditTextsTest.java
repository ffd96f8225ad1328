package io.premiumbot.worker.notify;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.premiumbot.worker.notify.CustomerNotifications.WalletCredit;

/** Every kind of wallet credit has its words in English and Chinese, with the amount, the balance and the order. */
class WalletCreditTextsTest {

    @Test
    void everyWalletCreditIsToldInEnglishAndChineseWithAmountBalanceAndOrder() {
        for (WalletCredit.Kind kind : WalletCredit.Kind.values()) {
            // a top-up has no order; every other kind is about one
            for (String orderId :
                    kind == WalletCredit.Kind.TOP_UP ? new String[] {null} : new String[] {"K7M2P9QX", null}) {
                WalletCredit credit = new WalletCredit(kind, 42, 1_234_500L, 8_000_100L, orderId, "tx-" + kind);
                String english = CustomerNotifications.text(credit, "en");
                String chinese = CustomerNotifications.text(credit, "zh-hans");
                for (String text : new String[] {english, chinese}) {
                    assertTrue(text.contains("1.234500 USDT") && text.contains("8.000100 USDT"), kind + ": " + text);
                    assertTrue(orderId == null || text.contains(orderId), kind + ": " + text);
                }
                assertNotEquals(english, chinese, kind + " has its own Chinese text");
            }
        }
    }
}
