package io.premiumbot.api;

import java.util.Map;

import io.premiumbot.testkit.FakeBotApi;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** The fake Bot API on loopback for every api-service test: getChat answers the recipient pre-flight. */
public class FakeTelegram implements QuarkusTestResourceLifecycleManager {

    private static FakeBotApi api;

    public static FakeBotApi api() {
        return api;
    }

    @Override
    public Map<String, String> start() {
        api = FakeBotApi.start("123456:test-bot-token");
        return Map.of("telegram.api-url", api.baseUrl());
    }

    @Override
    public void stop() {
        if (api != null) {
            api.close();
        }
    }
}
