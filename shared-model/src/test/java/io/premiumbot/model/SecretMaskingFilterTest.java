package io.premiumbot.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.logging.SecretMasker;
import io.premiumbot.model.logging.SecretMaskingFilter;

class SecretMaskingFilterTest {

    private static final String TOKEN = "7312345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    private final SecretMaskingFilter filter = new SecretMaskingFilter();

    @Test
    void masksATokenPassedAsAParameterInsideAUrl() {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "calling %s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {"https://api.telegram.org/bot" + TOKEN + "/giftPremiumSubscription"});

        assertTrue(filter.isLoggable(record));

        assertEquals("calling https://api.telegram.org/bot***/giftPremiumSubscription", record.getFormattedMessage());
        assertNull(record.getParameters());
    }

    @Test
    void masksABareTokenAndOneEndingAUrl() {
        assertEquals("seen *** end", SecretMasker.mask("seen " + TOKEN + " end"));
        assertEquals(
                "GET https://api.telegram.org/bot***", SecretMasker.mask("GET https://api.telegram.org/bot" + TOKEN));
    }

    @Test
    void withholdsAStackTraceWhoseMessageCarriesASecret() {
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "call failed", ExtLogRecord.FormatStyle.NO_FORMAT, "test");
        record.setThrown(
                new IllegalStateException("wrapper", new RuntimeException("POST /bot" + TOKEN + "/getMe timed out")));

        filter.isLoggable(record);

        assertNull(record.getThrown());
        assertFalse(record.getFormattedMessage().contains(TOKEN));
        assertTrue(record.getFormattedMessage().contains("withheld"));
    }

    @Test
    void keepsStackTracesWithoutSecrets() {
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "call failed", ExtLogRecord.FormatStyle.NO_FORMAT, "test");
        IllegalStateException failure = new IllegalStateException("connection refused: 127.0.0.1:8443");
        record.setThrown(failure);

        filter.isLoggable(record);

        assertSame(failure, record.getThrown());
    }

    @Test
    void leavesOrdinaryRecordsUntouched() {
        ExtLogRecord record = new ExtLogRecord(
                Level.INFO, "event=order_delivered orderId=%s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {"PR7K2M9Q"});

        filter.isLoggable(record);

        assertEquals("event=order_delivered orderId=%s", record.getMessage());
        assertEquals("PR7K2M9Q", record.getParameters()[0]);
    }

    @Test
    void aRootHandlerWithoutAFilterOfItsOwnReceivesMaskedRecords() {
        java.util.logging.Logger root = java.util.logging.Logger.getAnonymousLogger();
        root.setUseParentHandlers(false);
        java.util.List<String> published = new java.util.ArrayList<>();
        root.addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (isLoggable(record)) {
                    published.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });

        io.premiumbot.model.logging.MaskingBeforeEveryHandler.install(root);
        io.premiumbot.model.logging.MaskingBeforeEveryHandler.install(root);
        root.log(new ExtLogRecord(
                Level.INFO,
                "POST https://api.telegram.org/bot" + TOKEN + "/getChat",
                ExtLogRecord.FormatStyle.NO_FORMAT,
                "test"));

        assertEquals(java.util.List.of("POST https://api.telegram.org/bot***/getChat"), published);
    }
}
