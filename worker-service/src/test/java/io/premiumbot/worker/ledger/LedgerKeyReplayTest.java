package io.premiumbot.worker.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.premiumbot.model.ledger.Ledger;
import io.premiumbot.model.ledger.Ledger.LedgerChange;
import io.premiumbot.model.ledger.LedgerKeyReusedException;
import io.premiumbot.model.ledger.LedgerReason;
import io.premiumbot.model.money.Money;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/** A ledger key names one move: replaying it answers the first entry, and it can never book a different move. */
@QuarkusTest
class LedgerKeyReplayTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Ledger ledger;

    @Test
    void aKeyReplayedForTheSameMoveAnswersTheFirstEntryAndMovesNothing() throws Throwable {
        long user = fixtures.userWithDeposit(1_000_000L);
        String key = "test-credit:" + user;
        credit(user, 2_000_000L, key);

        LedgerChange replay = credit(user, 2_000_000L, key);

        assertTrue(replay.replayed());
        assertEquals(3_000_000L, fixtures.balance(user));
    }

    @Test
    void aKeyThatBookedAnotherAmountIsRefusedNotAnsweredAsBooked() throws Throwable {
        long user = fixtures.userWithDeposit(1_000_000L);
        String key = "test-credit:" + user;
        credit(user, 2_000_000L, key);

        assertThrows(LedgerKeyReusedException.class, () -> credit(user, 5_000_000L, key));

        assertEquals(3_000_000L, fixtures.balance(user));
    }

    @Test
    void aKeyThatCreditedOneCustomerCanNeverCountAsAnothersCredit() throws Throwable {
        long first = fixtures.userWithDeposit(1_000_000L);
        long second = fixtures.userWithDeposit(1_000_000L);
        String key = "test-credit:" + first + ":" + second;
        credit(first, 2_000_000L, key);

        assertThrows(LedgerKeyReusedException.class, () -> credit(second, 2_000_000L, key));

        assertEquals(List.of(3_000_000L, 1_000_000L), List.of(fixtures.balance(first), fixtures.balance(second)));
    }

    private LedgerChange credit(long user, long micros, String key) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> ledger.credit(user, Money.ofMicros(micros), LedgerReason.DEPOSIT, "test", key)));
    }
}
