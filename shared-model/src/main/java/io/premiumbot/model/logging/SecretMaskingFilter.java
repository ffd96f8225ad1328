package io.premiumbot.model.logging;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Masks secrets in every log record before any handler formats it (console text or JSON), so no log line
 * carries a token, password or the bot token inside a Bot API URL. Enabled by {@code quarkus.log.console.filter}.
 */
@LoggingFilter(name = "secret-masking")
public final class SecretMaskingFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String formatted = ext.getFormattedMessage();
            String masked = SecretMasker.mask(formatted);
            if (masked != null && !masked.equals(formatted)) {
                ext.setMessage(masked, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        } else if (record.getMessage() != null && record.getParameters() == null) {
            record.setMessage(SecretMasker.mask(record.getMessage()));
        }
        return true;
    }
}
