package io.premiumbot.api.support;

import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Every log record the OpenTelemetry handler exports, kept in memory: what would have gone to the collector. */
@ApplicationScoped
public class InMemoryLogs {

    @Produces
    @Singleton
    InMemoryLogRecordExporter exporter() {
        return InMemoryLogRecordExporter.create();
    }
}
