package io.premiumbot.worker.telegram;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * The last line of defence for the bot token (SPEC §8, review P2-1): every console record (plain or JSON)
 * passes through here, and a token, bare or inside a {@code /bot<token>/} URL, is replaced before it is
 * written. A stack trace whose messages carry a token is withheld rather than printed.
 */
@LoggingFilter(name = "bot-token-mask")
public final class BotTokenMasking implements Filter {

    private static final Pattern IN_URL = Pattern.compile("/bot\\d+:[A-Za-z0-9_-]+");
    private static final Pattern BARE = Pattern.compile("\\b\\d{5,}:[A-Za-z0-9_-]{30,}\\b");
    private static final String REDACTED = "<bot-token>";

    /** The text with every bot token replaced. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = IN_URL.matcher(text).replaceAll("/bot" + REDACTED);
        return BARE.matcher(masked).replaceAll(REDACTED);
    }

    static boolean carriesToken(String text) {
        return text != null && (IN_URL.matcher(text).find() || BARE.matcher(text).find());
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String formatted = formatted(record);
        Throwable thrown = record.getThrown();
        boolean withholdThrown = thrown != null && chainCarriesToken(thrown);
        if (carriesToken(formatted) || withholdThrown) {
            String message = mask(formatted);
            if (withholdThrown) {
                message = message + " [exception " + thrown.getClass().getName() + " withheld: it carried a bot token]";
                record.setThrown(null);
            }
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(message, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(message);
            }
            record.setParameters(null);
        }
        return true;
    }

    private static String formatted(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (message == null || parameters == null || parameters.length == 0) {
            return message;
        }
        ExtLogRecord.FormatStyle style = record instanceof ExtLogRecord ext ? ext.getFormatStyle() : ExtLogRecord.FormatStyle.MESSAGE_FORMAT;
        try {
            return switch (style) {
                case PRINTF -> String.format(message, parameters);
                case MESSAGE_FORMAT -> MessageFormat.format(message, parameters);
                case NO_FORMAT -> message;
            };
        } catch (IllegalArgumentException e) {
            // a malformed pattern: inspect the parts as they are
            return message + " " + Arrays.toString(parameters);
        }
    }

    private static boolean chainCarriesToken(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (carriesToken(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
