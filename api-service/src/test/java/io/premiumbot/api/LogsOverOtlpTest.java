package io.premiumbot.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Log records leave the process over OTLP too: masked like the console, with trace ids and the service's resource. */
@QuarkusTest
class LogsOverOtlpTest {

    private static final Logger LOG = Logger.getLogger(LogsOverOtlpTest.class);
    private static final String BOT_TOKEN = "123456:test-bot-token";
    private static final String ADMIN_TOKEN = "test-admin-token";
    private static final String WEBHOOK_SECRET = "test-webhook-secret";

    @Inject
    InMemoryLogRecordExporter logs;

    @Inject
    Tracer tracer;

    private LogRecordData exported(String marker) {
        return await("the record " + marker + " exported")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> logs.getFinishedLogRecordItems().stream()
                                .filter(record -> record.getBodyValue() != null
                                        && record.getBodyValue().asString().contains(marker))
                                .findFirst()
                                .orElse(null),
                        record -> record != null);
    }

    @Test
    void aSecretInALogLineNeverLeavesTheProcessOverOtlp() {
        String marker = "event=otlp_masking_probe id=" + UUID.randomUUID();
        LOG.warnf(
                "%s url=https://api.telegram.org/bot%s/getChat header=Authorization: Bearer %s secret=%s",
                marker, BOT_TOKEN, ADMIN_TOKEN, WEBHOOK_SECRET);
        LOG.error(marker + " failed", new IllegalStateException("POST /bot" + BOT_TOKEN + "/getChat timed out"));

        exported(marker);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> logs.getFinishedLogRecordItems().stream()
                                .filter(record ->
                                        record.getBodyValue().asString().contains(marker))
                                .count()
                        == 2);
        List<LogRecordData> all = logs.getFinishedLogRecordItems();
        for (LogRecordData record : all) {
            String everything = record.getBodyValue().asString() + " " + record.getAttributes();
            for (String secret : List.of(BOT_TOKEN, "test-bot-token", ADMIN_TOKEN, WEBHOOK_SECRET)) {
                assertFalse(everything.contains(secret), "exported log record carries a secret: " + everything);
            }
        }
    }

    @Test
    void anExportedRecordCarriesItsSpansTraceAndSpanIds() {
        String marker = "event=otlp_trace_probe id=" + UUID.randomUUID();
        Span span = tracer.spanBuilder("otlp-log-probe").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            LOG.info(marker);
        } finally {
            span.end();
        }

        LogRecordData record = exported(marker);

        assertEquals(span.getSpanContext().getTraceId(), record.getSpanContext().getTraceId());
        assertEquals(span.getSpanContext().getSpanId(), record.getSpanContext().getSpanId());
    }

    @Test
    void anExportedRecordNamesTheServiceItsVersionAndTheEnvironment() {
        String marker = "event=otlp_resource_probe id=" + UUID.randomUUID();
        LOG.info(marker);

        LogRecordData record = exported(marker);

        assertEquals("api-service", record.getResource().getAttribute(AttributeKey.stringKey("service.name")));
        assertTrue(
                record.getResource()
                        .getAttribute(AttributeKey.stringKey("service.version"))
                        .startsWith("1."),
                "service.version: " + record.getResource().getAttributes());
        assertEquals("test", record.getResource().getAttribute(AttributeKey.stringKey("deployment.environment")));
    }
}
