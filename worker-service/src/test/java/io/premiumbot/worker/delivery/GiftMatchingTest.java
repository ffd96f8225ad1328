package io.premiumbot.worker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.premiumbot.worker.delivery.GiftMatching.Claimant;
import io.premiumbot.worker.delivery.GiftMatching.Decision;
import io.premiumbot.worker.delivery.GiftMatching.Gift;

/** Which gift proves which attempt, on windows in seconds from an origin; the read lists everything up to 100 s. */
class GiftMatchingTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant LISTED = T.plusSeconds(100);

    private static Claimant answeredTrue(long id, int from, int until) {
        return new Claimant(id, true, T.plusSeconds(from), T.plusSeconds(until), T.plusSeconds(until + 10));
    }

    private static Claimant ambiguous(long id, int from, int until) {
        return new Claimant(id, false, T.plusSeconds(from), T.plusSeconds(until), T.plusSeconds(until + 10));
    }

    private static Claimant inFlight(long id, int from) {
        return new Claimant(id, false, T.plusSeconds(from), null, null);
    }

    private static Gift gift(String id, int madeAt) {
        return new Gift(id, T.plusSeconds(madeAt));
    }

    @Test
    void theOnlyGiftGoesToTheAttemptTelegramAnsweredTrueNotToAnEarlierAmbiguousOne() {
        Decision decision =
                GiftMatching.decide(List.of(ambiguous(1, 0, 20), answeredTrue(2, 1, 3)), List.of(gift("g", 2)), LISTED);

        assertEquals(Map.of(2L, "g"), decision.proven());
        assertEquals(List.of(1L), decision.noGift());
    }

    @Test
    void twoAmbiguousAttemptsAndOneGiftProveOnlyOne() {
        Decision decision =
                GiftMatching.decide(List.of(ambiguous(1, 0, 20), ambiguous(2, 1, 20)), List.of(gift("g", 2)), LISTED);

        assertEquals(Map.of(1L, "g"), decision.proven());
        assertEquals(List.of(2L), decision.noGift());
    }

    @Test
    void aTrueAnswerWhoseGiftIsListedLaterLeavesTheEarlierGiftToTheAmbiguousAttempt() {
        // the ambiguous attempt's window closes first: the earlier gift is its own, the later the true answer's
        Decision decision = GiftMatching.decide(
                List.of(ambiguous(1, 0, 8), answeredTrue(2, 1, 30)),
                List.of(gift("early", 2), gift("late", 25)),
                LISTED);

        assertEquals(Map.of(1L, "early", 2L, "late"), decision.proven());
        assertEquals(List.of(), decision.noGift());
    }

    @Test
    void nothingIsDecidedWhileAnAttemptThatMayClaimTheGiftIsInFlight() {
        Decision decision =
                GiftMatching.decide(List.of(ambiguous(1, 0, 20), inFlight(2, 5)), List.of(gift("g", 6)), LISTED);

        assertTrue(decision.proven().isEmpty());
        assertTrue(decision.noGift().isEmpty());
    }

    @Test
    void nothingIsDecidedBeforeEveryGiftOfTheClusterHadTheTimeToBeListed() {
        Decision decision = GiftMatching.decide(
                List.of(ambiguous(1, 0, 20), answeredTrue(2, 1, 95)), List.of(gift("g", 2)), LISTED);

        assertTrue(decision.proven().isEmpty());
        assertTrue(decision.noGift().isEmpty());
    }

    @Test
    void attemptsWhoseWindowsDoNotOverlapAreDecidedApart() {
        Decision decision = GiftMatching.decide(
                List.of(ambiguous(1, 0, 10), inFlight(2, 50)), List.of(gift("g", 5), gift("h", 55)), LISTED);

        assertEquals(Map.of(1L, "g"), decision.proven(), "the closed cluster is decided, the open one waits");
        assertTrue(decision.noGift().isEmpty());
    }

    @Test
    void aClusterWhoseEveryAttemptHasAListedGiftIsDecidedWithoutWaitingForTheLag() {
        Decision decision = GiftMatching.decide(
                List.of(ambiguous(1, 0, 20), answeredTrue(2, 1, 95)), List.of(gift("g", 2), gift("h", 90)), LISTED);

        assertEquals(Map.of(1L, "g", 2L, "h"), decision.proven());
        assertTrue(decision.noGift().isEmpty());
    }
}
