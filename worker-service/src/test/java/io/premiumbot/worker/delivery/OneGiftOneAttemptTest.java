package io.premiumbot.worker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.premiumbot.worker.support.Fixtures;
import io.premiumbot.worker.support.Fixtures.Statement;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** PostgreSQL itself keeps one gift to one attempt: whatever SQL a process sends, a gift never proves two orders. */
@QuarkusTest
class OneGiftOneAttemptTest {

    private static final String ATTRIBUTE = "update star_gifts set attempt_id = ? where transaction_id = ?";
    private static final String NAME = "update delivery_attempts set gift_transaction_id = ? where id = ?";

    @Inject
    Fixtures fixtures;

    /** An attempt of a new delivering order to {@code recipient}, answered 502. */
    private long ambiguousAttempt(long recipient) {
        String orderId = fixtures.deliveringOrder(
                fixtures.userWithDeposit(20_000_000L), recipient, "w", java.time.Duration.ofSeconds(10), true);
        fixtures.update(
                "update delivery_attempts set finished_at = now(), outcome = 'SERVER_ERROR' where order_id = ?",
                orderId);
        return Long.parseLong(fixtures.text("select id from delivery_attempts where order_id = ?", orderId));
    }

    private String gift(long recipient) {
        String id = "gift-constraint-" + recipient;
        fixtures.update(
                "insert into star_gifts (transaction_id, user_id, months, made_at) values (?, ?, 3, now())",
                id,
                recipient);
        return id;
    }

    /** The gift and the attempt naming each other, as the settler writes them. */
    private void prove(long attemptId, String giftId) {
        fixtures.together(new Statement(ATTRIBUTE, attemptId, giftId), new Statement(NAME, giftId, attemptId));
    }

    @Test
    void aGiftThatProvesOneAttemptCannotBeNamedByAnother() {
        long recipient = fixtures.anotherTelegramUser();
        long first = ambiguousAttempt(recipient);
        long second = ambiguousAttempt(recipient);
        String giftId = gift(recipient);
        prove(first, giftId);

        assertRefused(() -> fixtures.update(NAME, giftId, second));

        assertEquals(
                "0",
                fixtures.text(
                        "select count(*) from delivery_attempts where id = ? and gift_transaction_id is not null",
                        second));
    }

    @Test
    void aGiftCannotBeMovedFromTheAttemptThatNamesIt() {
        long recipient = fixtures.anotherTelegramUser();
        long first = ambiguousAttempt(recipient);
        long second = ambiguousAttempt(recipient);
        String giftId = gift(recipient);
        prove(first, giftId);

        assertRefused(() -> fixtures.update(ATTRIBUTE, second, giftId));

        assertEquals(
                String.valueOf(first),
                fixtures.text("select attempt_id from star_gifts where transaction_id = ?", giftId));
    }

    @Test
    void aGiftCannotBeAttributedToAnAttemptThatDoesNotNameIt() {
        long recipient = fixtures.anotherTelegramUser();
        long attempt = ambiguousAttempt(recipient);
        String giftId = gift(recipient);

        assertRefused(() -> fixtures.update(ATTRIBUTE, attempt, giftId));
    }

    @Test
    void anAttemptCannotBeSettledFoundWithoutAGiftOfItsOwn() {
        long attempt = ambiguousAttempt(fixtures.anotherTelegramUser());

        assertRefused(() -> fixtures.update("update delivery_attempts set settlement = 'FOUND' where id = ?", attempt));
    }

    @Test
    void anAttemptProvenByAGiftCannotBeSettledAbsent() {
        long recipient = fixtures.anotherTelegramUser();
        long attempt = ambiguousAttempt(recipient);
        prove(attempt, gift(recipient));

        assertRefused(
                () -> fixtures.update("update delivery_attempts set settlement = 'ABSENT' where id = ?", attempt));
    }

    /** Refused by a constraint of PostgreSQL's integrity class (23: unique, foreign key, check). */
    private static void assertRefused(Executable statement) {
        RuntimeException failure = assertThrows(RuntimeException.class, statement);
        SQLException cause = assertInstanceOf(SQLException.class, failure.getCause(), "refused by PostgreSQL");
        assertTrue(cause.getSQLState().startsWith("23"), cause.getSQLState() + " " + cause.getMessage());
    }
}
