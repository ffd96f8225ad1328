package io.premiumbot.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.premiumbot.model.queue.DeliveryJob;

class DeliveryJobTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:15:30Z");
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aJobTravelsInTheDocumentedWireFormat() {
        assertEquals(
                "{\"orderId\":\"A1B2\",\"attempt\":3,\"enqueuedAt\":\"2026-12-01T10:15:30Z\",\"traceparent\":\""
                        + TRACEPARENT + "\"}",
                new DeliveryJob("A1B2", 3, AT, TRACEPARENT).toJson());
    }

    @Test
    void aJobReadsBackAsTheSameJob() {
        DeliveryJob job = new DeliveryJob("A1B2", 2, AT, TRACEPARENT);
        assertEquals(job, DeliveryJob.parse(job.toJson()));
    }

    @Test
    void aJobWithoutTraceContextReadsBackWithoutIt() {
        DeliveryJob job = DeliveryJob.first("A1B2", AT, null);
        assertEquals(job, DeliveryJob.parse(job.toJson()));
    }

    @Test
    void aJobWrittenWithAnExplicitNullTraceparentIsRead() {
        String olderWriter =
                "{\"orderId\":\"A1B2\",\"attempt\":1,\"enqueuedAt\":\"2026-12-01T10:15:30Z\",\"traceparent\":null}";
        assertEquals(DeliveryJob.first("A1B2", AT, null), DeliveryJob.parse(olderWriter));
    }

    @Test
    void unknownFieldsAreIgnoredSoANewerWriterDoesNotKillJobs() {
        String newer =
                "{\"orderId\":\"A1B2\",\"attempt\":1,\"enqueuedAt\":\"2026-12-01T10:15:30Z\",\"priority\":\"high\"}";
        assertEquals("A1B2", DeliveryJob.parse(newer).orderId());
    }

    @Test
    void garbageIsAMalformedJobThatDoesNotEchoThePayload() {
        DeliveryJob.MalformedJobException e = assertThrows(
                DeliveryJob.MalformedJobException.class, () -> DeliveryJob.parse("{\"orderId\": secret-token-here"));
        assertFalse(e.getMessage().contains("secret-token-here"), e.getMessage());
    }

    @Test
    void aJobMissingItsOrderIsMalformed() {
        assertThrows(
                DeliveryJob.MalformedJobException.class,
                () -> DeliveryJob.parse("{\"attempt\":1,\"enqueuedAt\":\"2026-12-01T10:15:30Z\"}"));
    }

    @Test
    void aJobWithAttemptZeroIsMalformed() {
        assertThrows(
                DeliveryJob.MalformedJobException.class,
                () -> DeliveryJob.parse(
                        "{\"orderId\":\"A1B2\",\"attempt\":0,\"enqueuedAt\":\"2026-12-01T10:15:30Z\"}"));
    }

    @Test
    void aJobWithAnUnreadableTimeIsMalformed() {
        assertThrows(
                DeliveryJob.MalformedJobException.class,
                () -> DeliveryJob.parse("{\"orderId\":\"A1B2\",\"attempt\":1,\"enqueuedAt\":\"yesterday\"}"));
    }

    @Test
    void tryParseGivesNothingForAnUnreadableJob() {
        assertTrue(DeliveryJob.tryParse("[1,2]").isEmpty());
    }
}
