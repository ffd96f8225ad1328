package io.premiumbot.worker.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * What the tests see of tracing: every ended span (an in-memory exporter), and the spans started but not yet
 * ended (a span processor), so a test can show that no span of a trace was left open.
 */
@ApplicationScoped
public class Spans {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final Map<String, ReadableSpan> open = new ConcurrentHashMap<>();
    private final Map<String, String> startedTraceOf = new ConcurrentHashMap<>();

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return exporter;
    }

    @Produces
    @Singleton
    SpanProcessor openSpans() {
        return new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
                open.put(span.getSpanContext().getSpanId(), span);
                startedTraceOf.put(
                        span.getSpanContext().getSpanId() + ":" + span.getName(),
                        span.getSpanContext().getTraceId());
            }

            @Override
            public boolean isStartRequired() {
                return true;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                open.remove(span.getSpanContext().getSpanId());
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }
        };
    }

    public List<SpanData> ended(String traceId) {
        return exporter.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(traceId))
                .toList();
    }

    /** Names of the spans of this trace the processor saw start: proof that it watches this application. */
    public List<String> started(String traceId) {
        return startedTraceOf.entrySet().stream()
                .filter(entry -> entry.getValue().equals(traceId))
                .map(entry -> entry.getKey().substring(entry.getKey().indexOf(':') + 1))
                .toList();
    }

    public List<String> stillOpen(String traceId) {
        return open.values().stream()
                .filter(span -> span.getSpanContext().getTraceId().equals(traceId))
                .map(ReadableSpan::getName)
                .toList();
    }
}
