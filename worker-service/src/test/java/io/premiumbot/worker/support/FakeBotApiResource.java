package io.premiumbot.worker.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import io.premiumbot.testkit.FakeBotApi;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts the fake Bot API on loopback for the test run and points {@code telegram.api-url} at it. */
public class FakeBotApiResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "123456:test-bot-token";

    /** Marks the test field that receives the running fake. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectFakeBotApi {}

    private FakeBotApi api;

    @Override
    public Map<String, String> start() {
        api = FakeBotApi.start(TOKEN);
        return Map.of("telegram.api-url", api.baseUrl(), "telegram.bot-token", TOKEN);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                api, new TestInjector.AnnotatedAndMatchesType(InjectFakeBotApi.class, FakeBotApi.class));
    }

    @Override
    public void stop() {
        if (api != null) {
            api.close();
        }
    }
}
