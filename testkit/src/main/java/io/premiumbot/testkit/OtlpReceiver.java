package io.premiumbot.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A collector stand-in on loopback: takes OTLP over HTTP/protobuf ({@code /v1/traces}, {@code /v1/logs}) exactly as
 * the services' exporters send it and keeps the decoded spans and log records, plus every raw payload (so a test can
 * scan all bytes that left a process). Decodes the protobuf wire format of the OTLP messages itself: only the fields
 * a test reads (ids, names, kinds, times, attributes, bodies, resource attributes).
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One span as received, ids in lower-case hex. */
    public record ReceivedSpan(
            String service,
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            int kind,
            long startNanos,
            long endNanos,
            Map<String, String> attributes) {
        public static final int KIND_SERVER = 2;
        public static final int KIND_CLIENT = 3;
        public static final int KIND_CONSUMER = 5;

        public boolean ended() {
            return endNanos > 0 && endNanos >= startNanos;
        }
    }

    /** One log record as received. */
    public record ReceivedLog(
            String service,
            Map<String, String> resource,
            String traceId,
            String spanId,
            String body,
            Map<String, String> attributes) {}

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<ReceivedLog> logs = new CopyOnWriteArrayList<>();
    private final List<byte[]> payloads = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/v1/traces", exchange -> receiver.receive(exchange, true));
            server.createContext("/v1/logs", exchange -> receiver.receive(exchange, false));
            server.createContext("/v1/metrics", exchange -> receiver.receive(exchange, null));
            server.setExecutor(Executors.newFixedThreadPool(2));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the OTLP receiver", e);
        }
    }

    /** The endpoint to give an exporter ({@code quarkus.otel.exporter.otlp.endpoint}, protocol http/protobuf). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    public List<ReceivedLog> logs() {
        return List.copyOf(logs);
    }

    /** Whether any payload received so far contains this text (UTF-8), wherever it sits in the message. */
    public boolean anyPayloadContains(String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        return payloads.stream().anyMatch(payload -> indexOf(payload, needle) >= 0);
    }

    private void receive(HttpExchange exchange, Boolean traces) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in =
                    "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                            ? new GZIPInputStream(exchange.getRequestBody())
                            : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            payloads.add(body);
            if (Boolean.TRUE.equals(traces)) {
                decodeTraces(body);
            } else if (Boolean.FALSE.equals(traces)) {
                decodeLogs(body);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, 0);
        } catch (RuntimeException e) {
            exchange.sendResponseHeaders(400, -1);
            throw e;
        }
    }

    // ExportTraceServiceRequest{1: ResourceSpans{1: Resource{1: KeyValue}, 2: ScopeSpans{2: Span}}}
    private void decodeTraces(byte[] request) {
        for (Field resourceSpans : Wire.fields(request)) {
            if (resourceSpans.number != 1) {
                continue;
            }
            Map<String, String> resource = new LinkedHashMap<>();
            List<byte[]> scopes = new ArrayList<>();
            for (Field field : Wire.fields(resourceSpans.bytes)) {
                if (field.number == 1) {
                    resource = attributes(field.bytes, 1);
                } else if (field.number == 2) {
                    scopes.add(field.bytes);
                }
            }
            String service = resource.get("service.name");
            for (byte[] scope : scopes) {
                for (Field span : Wire.fields(scope)) {
                    if (span.number == 2) {
                        spans.add(span(service, span.bytes));
                    }
                }
            }
        }
    }

    private static ReceivedSpan span(String service, byte[] span) {
        String traceId = "", spanId = "", parent = "", name = "";
        int kind = 0;
        long start = 0, end = 0;
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Field field : Wire.fields(span)) {
            switch (field.number) {
                case 1 -> traceId = HexFormat.of().formatHex(field.bytes);
                case 2 -> spanId = HexFormat.of().formatHex(field.bytes);
                case 4 -> parent = HexFormat.of().formatHex(field.bytes);
                case 5 -> name = new String(field.bytes, StandardCharsets.UTF_8);
                case 6 -> kind = (int) field.value;
                case 7 -> start = field.value;
                case 8 -> end = field.value;
                case 9 -> attributes.putAll(keyValue(field.bytes));
                default -> {}
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parent, name, kind, start, end, attributes);
    }

    // ExportLogsServiceRequest{1: ResourceLogs{1: Resource, 2: ScopeLogs{2: LogRecord}}}
    private void decodeLogs(byte[] request) {
        for (Field resourceLogs : Wire.fields(request)) {
            if (resourceLogs.number != 1) {
                continue;
            }
            Map<String, String> resource = new LinkedHashMap<>();
            List<byte[]> scopes = new ArrayList<>();
            for (Field field : Wire.fields(resourceLogs.bytes)) {
                if (field.number == 1) {
                    resource = attributes(field.bytes, 1);
                } else if (field.number == 2) {
                    scopes.add(field.bytes);
                }
            }
            for (byte[] scope : scopes) {
                for (Field record : Wire.fields(scope)) {
                    if (record.number == 2) {
                        logs.add(log(resource, record.bytes));
                    }
                }
            }
        }
    }

    private static ReceivedLog log(Map<String, String> resource, byte[] record) {
        String traceId = "", spanId = "", body = "";
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Field field : Wire.fields(record)) {
            switch (field.number) {
                case 5 -> body = anyValue(field.bytes);
                case 6 -> attributes.putAll(keyValue(field.bytes));
                case 9 -> traceId = HexFormat.of().formatHex(field.bytes);
                case 10 -> spanId = HexFormat.of().formatHex(field.bytes);
                default -> {}
            }
        }
        return new ReceivedLog(resource.get("service.name"), Map.copyOf(resource), traceId, spanId, body, attributes);
    }

    /** The repeated KeyValue field {@code number} of a message. */
    private static Map<String, String> attributes(byte[] message, int number) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Field field : Wire.fields(message)) {
            if (field.number == number) {
                attributes.putAll(keyValue(field.bytes));
            }
        }
        return attributes;
    }

    // KeyValue{1: key, 2: AnyValue}
    private static Map<String, String> keyValue(byte[] keyValue) {
        String key = "", value = "";
        for (Field field : Wire.fields(keyValue)) {
            if (field.number == 1) {
                key = new String(field.bytes, StandardCharsets.UTF_8);
            } else if (field.number == 2) {
                value = anyValue(field.bytes);
            }
        }
        return Map.of(key, value);
    }

    // AnyValue{1: string, 2: bool, 3: int, 4: double, 5: array, 6: kvlist, 7: bytes}: scalars as text
    private static String anyValue(byte[] any) {
        for (Field field : Wire.fields(any)) {
            switch (field.number) {
                case 1 -> {
                    return new String(field.bytes, StandardCharsets.UTF_8);
                }
                case 2 -> {
                    return String.valueOf(field.value != 0);
                }
                case 3 -> {
                    return String.valueOf(field.value);
                }
                case 4 -> {
                    return String.valueOf(Double.longBitsToDouble(field.value));
                }
                default -> {
                    return field.bytes == null
                            ? String.valueOf(field.value)
                            : new String(field.bytes, StandardCharsets.UTF_8);
                }
            }
        }
        return "";
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** One protobuf field: varint and fixed values in {@code value}, length-delimited ones in {@code bytes}. */
    private record Field(int number, long value, byte[] bytes) {}

    /** The protobuf wire format, enough to walk OTLP messages. */
    private static final class Wire {
        static List<Field> fields(byte[] message) {
            List<Field> fields = new ArrayList<>();
            ByteArrayInputStream in = new ByteArrayInputStream(message);
            while (in.available() > 0) {
                long tag = varint(in);
                int number = (int) (tag >>> 3);
                switch ((int) (tag & 7)) {
                    case 0 -> fields.add(new Field(number, varint(in), null));
                    case 1 -> fields.add(new Field(number, fixed(in, 8), null));
                    case 2 -> fields.add(new Field(number, 0, read(in, (int) varint(in))));
                    case 5 -> fields.add(new Field(number, fixed(in, 4), null));
                    default -> throw new IllegalArgumentException("unsupported protobuf wire type in tag " + tag);
                }
            }
            return fields;
        }

        private static long varint(ByteArrayInputStream in) {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = in.read();
                if (b < 0) {
                    throw new IllegalArgumentException("truncated varint");
                }
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }

        private static long fixed(ByteArrayInputStream in, int size) {
            long result = 0;
            for (int i = 0; i < size; i++) {
                result |= (long) in.read() << (8 * i);
            }
            return result;
        }

        private static byte[] read(ByteArrayInputStream in, int length) {
            byte[] bytes = new byte[length];
            if (length > 0 && in.read(bytes, 0, length) != length) {
                throw new IllegalArgumentException("truncated field");
            }
            return bytes;
        }
    }
}
