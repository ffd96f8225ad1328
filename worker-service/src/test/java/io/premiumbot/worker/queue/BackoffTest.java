package io.premiumbot.worker.queue;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(4), Duration.ofSeconds(60));

    @Test
    void staysBetweenFourAndSixtySecondsWhateverTheAttempt() {
        for (int attempt = 1; attempt <= 40; attempt++) {
            for (int sample = 0; sample < 50; sample++) {
                Duration wait = backoff.afterAttempt(attempt);
                assertTrue(
                        wait.compareTo(Duration.ofSeconds(4)) >= 0 && wait.compareTo(Duration.ofSeconds(60)) <= 0,
                        "attempt " + attempt + " waited " + wait);
            }
        }
    }

    @Test
    void growsWithEachAttemptUntilTheCap() {
        assertTrue(backoff.afterAttempt(1).compareTo(Duration.ofSeconds(4)) == 0);
        assertTrue(backoff.afterAttempt(3).compareTo(Duration.ofSeconds(8)) >= 0);
        assertTrue(backoff.afterAttempt(6).compareTo(Duration.ofSeconds(30)) >= 0);
    }
}
