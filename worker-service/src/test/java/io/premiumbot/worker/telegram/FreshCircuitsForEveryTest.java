package io.premiumbot.worker.telegram;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;

/**
 * Every {@code @QuarkusTest} starts with the Bot API's circuit breakers closed, as a freshly started worker does: the
 * tests share one worker, and one test's 502s must not open the gifts' breaker for the next.
 */
public class FreshCircuitsForEveryTest implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (Arc.container() == null) {
            return;
        }
        var circuits = Arc.container().instance(TelegramCircuits.class);
        if (circuits.isAvailable()) {
            circuits.get().closeAll();
        }
    }
}
