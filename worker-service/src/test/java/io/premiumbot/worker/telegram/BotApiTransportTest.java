package io.premiumbot.worker.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.telegram.TelegramBudgetConfig;
import io.premiumbot.testkit.FakeBotApi;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/** How each Bot API answer is classified, against the fake on loopback (no CDI: the plain HTTP layer). */
class BotApiTransportTest {

    private static final String TOKEN = "123456:transport-test-token";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Vertx vertx = Vertx.vertx();
    private final FakeBotApi telegram = FakeBotApi.start(TOKEN);

    @AfterEach
    void close() {
        telegram.close();
        vertx.closeAndAwait();
    }

    private static final TelegramBudgetConfig BUDGET = new TelegramBudgetConfig() {
        public int rateLimitPerSecond() {
            return 30;
        }

        public int rateHeadroomPerSecond() {
            return 1;
        }

        public Duration rateMaxWait() {
            return Duration.ofSeconds(5);
        }

        public Duration rateSpareMaxWait() {
            return Duration.ofSeconds(2);
        }
    };

    private static TelegramConfig config(String apiUrl) {
        return new TelegramConfig() {
            public String apiUrl() {
                return apiUrl;
            }

            public String botToken() {
                return TOKEN;
            }

            public Duration connectTimeout() {
                return Duration.ofSeconds(2);
            }

            public long timeoutMillis() {
                return 1000;
            }
        };
    }

    private Throwable failureOf(BotApiTransport transport, String method, JsonObject params) {
        return transport
                .post(method, params)
                .onItem()
                .transform(item -> (Throwable) null)
                .onFailure()
                .recoverWithItem(failure -> failure)
                .await()
                .atMost(WAIT);
    }

    private static JsonObject gift(long userId) {
        return new JsonObject().put("user_id", userId).put("month_count", 3).put("star_count", 1000);
    }

    @Test
    void answersTheResultOfASuccessfulCall() {
        BotApiTransport transport = new BotApiTransport(vertx, config(telegram.baseUrl()), BUDGET);

        Object result =
                transport.post("giftPremiumSubscription", gift(42)).await().atMost(WAIT);

        assertEquals(Boolean.TRUE, result);
        assertEquals(
                "3", telegram.calls("giftPremiumSubscription").get(0).params().get("month_count"));
    }

    @Test
    void classifiesA429WithItsRetryAfter() {
        telegram.rateLimitNext("giftPremiumSubscription", 7);
        BotApiTransport transport = new BotApiTransport(vertx, config(telegram.baseUrl()), BUDGET);

        Throwable failure = failureOf(transport, "giftPremiumSubscription", gift(42));

        assertEquals(
                Duration.ofSeconds(7),
                assertInstanceOf(TelegramException.RateLimited.class, failure).retryAfter());
    }

    @Test
    void classifiesServerErrorsAsUnavailable() {
        telegram.failNext("giftPremiumSubscription", 502, "Bad Gateway");
        BotApiTransport transport = new BotApiTransport(vertx, config(telegram.baseUrl()), BUDGET);

        Throwable failure = failureOf(transport, "giftPremiumSubscription", gift(42));

        assertEquals(
                502,
                assertInstanceOf(TelegramException.Unavailable.class, failure).errorCode());
    }

    @Test
    void classifiesAnUnknownRecipientAsADefiniteRefusal() {
        telegram.onlyKnownUsers();
        BotApiTransport transport = new BotApiTransport(vertx, config(telegram.baseUrl()), BUDGET);

        Throwable failure = failureOf(transport, "giftPremiumSubscription", gift(42));

        TelegramException.Rejected rejected = assertInstanceOf(TelegramException.Rejected.class, failure);
        assertEquals(400, rejected.errorCode());
        assertEquals("Bad Request: user not found", rejected.description());
        assertFalse(rejected.isBalanceTooLow());
    }

    @Test
    void recognisesAStarsBalanceTooLowForAGift() {
        telegram.starBalance(10);
        BotApiTransport transport = new BotApiTransport(vertx, config(telegram.baseUrl()), BUDGET);

        Throwable failure = failureOf(transport, "giftPremiumSubscription", gift(42));

        assertTrue(assertInstanceOf(TelegramException.Rejected.class, failure).isBalanceTooLow());
    }

    @Test
    void treatsAWrongTokenAsOurProblemNotTheCustomers() {
        BotApiTransport transport = new BotApiTransport(
                vertx, new TelegramConfigWithToken(config(telegram.baseUrl()), "999:wrong"), BUDGET);

        Throwable failure = failureOf(transport, "giftPremiumSubscription", gift(42));

        assertEquals(
                401,
                assertInstanceOf(TelegramException.Unavailable.class, failure).errorCode());
    }

    @Test
    void classifiesARefusedConnectionAsUnavailableBecauseNothingWasSent() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        BotApiTransport transport = new BotApiTransport(vertx, config("http://127.0.0.1:" + closedPort), BUDGET);

        Throwable failure = failureOf(transport, "giftPremiumSubscription", gift(42));

        assertInstanceOf(TelegramException.Unavailable.class, failure);
        assertFalse(failure.getMessage().contains(TOKEN));
    }

    /** The same settings with another token. */
    private record TelegramConfigWithToken(TelegramConfig base, String botToken) implements TelegramConfig {
        public String apiUrl() {
            return base.apiUrl();
        }

        public Duration connectTimeout() {
            return base.connectTimeout();
        }

        public long timeoutMillis() {
            return base.timeoutMillis();
        }
    }
}
