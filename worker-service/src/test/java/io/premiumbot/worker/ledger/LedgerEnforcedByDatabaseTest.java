package io.premiumbot.worker.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.premiumbot.worker.support.Fixtures;
import io.premiumbot.worker.support.Fixtures.Statement;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** PostgreSQL itself keeps the ledger: whatever SQL a process sends, a balance moves only with its entry. */
@QuarkusTest
class LedgerEnforcedByDatabaseTest {

    private static final String CHECK_VIOLATION = "23514";
    private static final String ENTRY = """
            insert into ledger_entries (user_id, amount_micros, balance_after_micros, reason, reference, idempotency_key)
            values (?, ?, ?, 'ADJUSTMENT', 'test', ?)""";

    @Inject
    Fixtures fixtures;

    @Test
    void aDirectBalanceUpdateIsRefused() {
        long user = fixtures.userWithDeposit(5_000_000L);

        assertRefused(() -> fixtures.update("update users set balance_micros = 99000000 where telegram_id = ?", user));

        assertEquals(5_000_000L, fixtures.balance(user));
    }

    @Test
    void aNewUserCannotStartWithABalance() {
        long user = fixtures.anotherTelegramUser();

        assertRefused(() -> fixtures.update(
                "insert into users (telegram_id, username, balance_micros) values (?, 'rich', 1000000)", user));
    }

    @Test
    void aLedgerEntryCannotBeChanged() {
        long user = fixtures.userWithDeposit(5_000_000L);

        assertRefused(
                () -> fixtures.update("update ledger_entries set amount_micros = 50000000 where user_id = ?", user));

        assertEquals(5_000_000L, fixtures.ledgerSum(user));
    }

    @Test
    void aLedgerEntryCannotBeDeleted() {
        long user = fixtures.userWithDeposit(5_000_000L);

        assertRefused(() -> fixtures.update("delete from ledger_entries where user_id = ?", user));

        assertEquals(5_000_000L, fixtures.ledgerSum(user));
    }

    @Test
    void theLedgerCannotBeTruncated() {
        assertRefused(() -> fixtures.update("truncate ledger_entries cascade"));
    }

    @Test
    void anEntryWhoseBalanceDidNotMoveIsRefused() {
        long user = fixtures.userWithDeposit(5_000_000L);

        assertRefused(() -> fixtures.update(ENTRY, user, 1_000_000L, 6_000_000L, "unbacked:" + user));

        assertEquals(5_000_000L, fixtures.ledgerSum(user));
    }

    @Test
    void anEntryThatDoesNotContinueTheUsersChainIsRefused() {
        long user = fixtures.userWithDeposit(5_000_000L);

        // the balance moves by 1 USDT, the entry claims 2 on top of a balance the ledger never had
        assertRefused(() -> fixtures.together(
                new Statement("update users set balance_micros = balance_micros + 1000000 where telegram_id = ?", user),
                new Statement(ENTRY, user, 2_000_000L, 6_000_000L, "off-chain:" + user)));

        assertEquals(5_000_000L, fixtures.balance(user));
    }

    @Test
    void aBalanceThatMovesWithItsEntryCommits() {
        long user = fixtures.userWithDeposit(5_000_000L);

        fixtures.together(
                new Statement("update users set balance_micros = balance_micros - 1500000 where telegram_id = ?", user),
                new Statement(ENTRY, user, -1_500_000L, 3_500_000L, "adjust:" + user));

        assertEquals(3_500_000L, fixtures.balance(user));
        assertEquals(3_500_000L, fixtures.ledgerSum(user));
    }

    private static void assertRefused(Executable statement) {
        RuntimeException failure = assertThrows(RuntimeException.class, statement);
        SQLException cause = assertInstanceOf(SQLException.class, failure.getCause(), "refused by PostgreSQL");
        assertEquals(CHECK_VIOLATION, cause.getSQLState(), cause.getMessage());
    }
}
