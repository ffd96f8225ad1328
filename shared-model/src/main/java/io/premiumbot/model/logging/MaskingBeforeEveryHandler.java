package io.premiumbot.model.logging;

import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Puts {@link SecretMaskingFilter} in front of every handler on the root logger, so handlers that take no
 * {@code quarkus.log.*.filter} setting (the OpenTelemetry handler that exports log records over OTLP) never see an
 * unmasked record. Before startup, records reach that handler after the console handler has masked them in place.
 */
@ApplicationScoped
public class MaskingBeforeEveryHandler {

    void onStart(@Observes StartupEvent event) {
        install(Logger.getLogger(""));
    }

    /** Idempotent: a handler already masked is left alone. */
    public static void install(Logger root) {
        for (Handler handler : root.getHandlers()) {
            if (!(handler.getFilter() instanceof MaskingFirst)) {
                handler.setFilter(new MaskingFirst(handler.getFilter()));
            }
        }
    }

    /** Masks the record, then asks the handler's own filter (if any). */
    record MaskingFirst(Filter next) implements Filter {
        private static final SecretMaskingFilter MASKING = new SecretMaskingFilter();

        @Override
        public boolean isLoggable(LogRecord record) {
            MASKING.isLoggable(record);
            return next == null || next.isLoggable(record);
        }
    }
}
