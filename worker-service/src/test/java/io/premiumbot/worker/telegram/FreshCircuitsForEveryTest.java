package io.premiumbot.worker.telegram;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;

/**
 * Every {@code @QuarkusTest} starts with the Bot API's circuit breakers closed, as a freshly started worker does: the
 * tests share one worker, and one test's 502s must not open the gifts' breaker for the next.
 */
public class FreshCircuitsForEveryTest implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        Instance<TelegramCircuits> circuits = CDI.current().select(TelegramCircuits.class);
        if (circuits.isResolvable()) {
            circuits.get().closeAll();
        }
    }
}
