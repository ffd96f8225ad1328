package io.premiumbot.model;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import io.premiumbot.model.logging.SecretMasker;

class SecretMaskerTest {

    @Test
    void masksTheBotTokenInsideBotApiUrls() {
        String line =
                "POST https://api.telegram.org/bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/giftPremiumSubscription failed";
        String masked = SecretMasker.mask(line);
        assertFalse(masked.contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"), masked);
        assertTrue(masked.contains("/bot***/giftPremiumSubscription"), masked);
    }

    @Test
    void masksBearerAndBasicCredentials() {
        assertEquals("Authorization: Bearer ***", SecretMasker.mask("Authorization: Bearer s3cr3t-admin.token"));
        assertEquals("header Basic ***", SecretMasker.mask("header Basic dXNlcjpwYXNz"));
    }

    @Test
    void masksSecretFieldsInKeyValueForm() {
        String masked =
                SecretMasker.mask("connect password=hunter2 user=premium api_key: k-123 x_webhook_secret=abc&next=1");
        assertEquals("connect password=*** user=premium api_key: *** x_webhook_secret=***&next=1", masked);
    }

    @Test
    void masksSecretFieldsInJson() {
        String masked =
                SecretMasker.mask("{\"user\":\"a\",\"password\":\"hunter2\",\"card_number\": \"4111111111111111\"}");
        assertEquals("{\"user\":\"a\",\"password\":\"***\",\"card_number\": \"***\"}", masked);
    }

    @Test
    void masksTheWebhookSecretHeader() {
        String masked = SecretMasker.mask("X-Telegram-Bot-Api-Secret-Token=abcdef123");
        assertFalse(masked.contains("abcdef123"), masked);
    }

    @Test
    void masksSecretsWhateverTheCaseOfTheirNames() {
        assertEquals(
                "PASSWORD=*** Api-Key: *** AUTHORIZATION: BEARER ***",
                SecretMasker.mask("PASSWORD=hunter2 Api-Key: k-123 AUTHORIZATION: BEARER s3cr3t"));
        assertEquals("{\"WebHook_Secret\":\"***\"}", SecretMasker.mask("{\"WebHook_Secret\":\"abcdef\"}"));
    }

    @Test
    void leavesOrdinaryLinesAlone() {
        String line = "event=order_paid orderId=PR7K2M9Q method=WALLET months=3 price=13.990000";
        assertSame(line, SecretMasker.mask(line));
    }

    @Test
    void masksRegisteredSecretValuesWhereverTheyAppear() {
        SecretMasker.registerSecret("registered-" + getClass().hashCode());
        String masked =
                SecretMasker.mask("header seen: registered-" + getClass().hashCode() + " (under any label)");
        assertEquals("header seen: *** (under any label)", masked);
    }

    @Test
    void ignoresValuesTooShortToBeSecrets() {
        SecretMasker.registerSecret("abc");
        assertEquals("abc def", SecretMasker.mask("abc def"));
    }
}
