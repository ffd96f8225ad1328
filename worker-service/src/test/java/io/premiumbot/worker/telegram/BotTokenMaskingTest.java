package io.premiumbot.worker.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class BotTokenMaskingTest {

    private static final String TOKEN = "7312345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    private final BotTokenMasking filter = new BotTokenMasking();

    @Test
    void masksATokenPassedAsAParameterInsideAUrl() {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "calling %s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] { "https://api.telegram.org/bot" + TOKEN + "/giftPremiumSubscription" });

        assertTrue(filter.isLoggable(record));

        assertEquals("calling https://api.telegram.org/bot<bot-token>/giftPremiumSubscription", record.getMessage());
        assertNull(record.getParameters());
    }

    @Test
    void masksABareToken() {
        assertEquals("token=<bot-token> end", BotTokenMasking.mask("token=" + TOKEN + " end"));
    }

    @Test
    void withholdsAStackTraceWhoseMessageCarriesTheToken() {
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "call failed", ExtLogRecord.FormatStyle.NO_FORMAT, "test");
        record.setThrown(new IllegalStateException("wrapper", new RuntimeException("POST /bot" + TOKEN + "/getMe timed out")));

        filter.isLoggable(record);

        assertNull(record.getThrown());
        assertFalse(record.getMessage().contains(TOKEN));
        assertTrue(record.getMessage().contains("withheld"));
    }

    @Test
    void leavesOrdinaryRecordsAlone() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "event=order_delivered order=%s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] { "PR7K2M9Q" });

        filter.isLoggable(record);

        assertEquals("event=order_delivered order=%s", record.getMessage());
        assertEquals("PR7K2M9Q", record.getParameters()[0]);
    }
}
