package io.premiumbot.model.logging;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Masks secrets in every log record before any handler formats it (console text or JSON), so no log line
 * carries a token, password or the bot token inside a Bot API URL. A stack trace whose messages carry a
 * secret can't be rewritten, so it is withheld and the record says so. Enabled by {@code quarkus.log.*.filter}.
 */
@LoggingFilter(name = "secret-masking")
public final class SecretMaskingFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String formatted = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String masked = SecretMasker.mask(formatted);
        Throwable thrown = record.getThrown();
        boolean withholdThrown = thrown != null && chainCarriesSecret(thrown);
        if (withholdThrown) {
            masked = masked + " [exception " + thrown.getClass().getName() + " withheld: its message carried a secret]";
            record.setThrown(null);
        }
        if (masked != null && !masked.equals(formatted)) {
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(masked, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(masked);
            }
            record.setParameters(null);
        }
        return true;
    }

    private static boolean chainCarriesSecret(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && !message.equals(SecretMasker.mask(message))) {
                return true;
            }
        }
        return false;
    }
}
