package io.premiumbot.worker.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import io.premiumbot.testkit.FakeTronGrid;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts the fake TronGrid on loopback for the test run and points {@code tron.api-url} at it. */
public class FakeTronGridResource implements QuarkusTestResourceLifecycleManager {

    public static final String RECEIVE_ADDRESS = "TTestReceiveAddress1111111111111111";
    public static final String API_KEY = "test-tron-pro-api-key";

    /** Marks the test field that receives the running fake. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectFakeTronGrid {}

    private FakeTronGrid grid;

    @Override
    public Map<String, String> start() {
        grid = FakeTronGrid.start();
        return Map.of("tron.api-url", grid.baseUrl(), "tron.receive-address", RECEIVE_ADDRESS, "tron.api-key", API_KEY);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                grid, new TestInjector.AnnotatedAndMatchesType(InjectFakeTronGrid.class, FakeTronGrid.class));
    }

    @Override
    public void stop() {
        if (grid != null) {
            grid.close();
        }
    }
}
