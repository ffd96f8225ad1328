package io.premiumbot.worker.telegram;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.telegram.TelegramBudgetConfig;
import io.premiumbot.testkit.FakeBotApi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/**
 * How each Bot API answer is classified, and the client's bounds (pool wait, wait queue, the whole call's deadline)
 * against the fake on loopback (no CDI: the plain HTTP layer).
 */
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

    /** The transport's smallest pool: max(8, the rate). */
    private static final int POOL = 8;

    private static final TelegramBudgetConfig SMALL_POOL = budget(1);
    private static final TelegramBudgetConfig BUDGET = budget(30);

    private static TelegramBudgetConfig budget(int perSecond) {
        return new TelegramBudgetConfig() {
            public int rateLimitPerSecond() {
                return perSecond;
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
    }

    private static TelegramConfig config(String apiUrl) {
        return config(apiUrl, 64);
    }

    /** Calls bounded to 1 s, a pool wait of 300 ms, {@code maxWaitQueue} requests waiting for a connection at most. */
    private static TelegramConfig config(String apiUrl, int maxWaitQueue) {
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

            public Duration poolWait() {
                return Duration.ofMillis(300);
            }

            public int maxWaitQueue() {
                return maxWaitQueue;
            }

            public long timeoutMillis() {
                return 1000;
            }

            public long circuitOpenMillis() {
                return 300;
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

        assertInstanceOf(TelegramException.NotSent.class, failure);
        assertFalse(failure.getMessage().contains(TOKEN));
    }

    /** Takes all {@link #POOL} connections with gifts Telegram holds, as a stalled Telegram does. */
    private List<CompletableFuture<Throwable>> stallEveryConnection(BotApiTransport transport) {
        telegram.stall();
        List<CompletableFuture<Throwable>> stalled = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            stalled.add(outcomeOf(transport.post("giftPremiumSubscription", gift(100 + i))));
        }
        await().atMost(WAIT)
                .until(() -> telegram.calls("giftPremiumSubscription").size() == POOL);
        return stalled;
    }

    @Test
    void aRequestThatWaitedTooLongForAConnectionIsNeverWrittenEvenAfterTelegramCatchesUp() {
        BotApiTransport transport = new BotApiTransport(vertx, config(telegram.baseUrl()), SMALL_POOL);
        List<CompletableFuture<Throwable>> stalled = stallEveryConnection(transport);

        Throwable queued = failureOf(transport, "giftPremiumSubscription", gift(42));

        assertInstanceOf(TelegramException.NotSent.class, queued, "no connection came free within the pool wait");
        for (CompletableFuture<Throwable> call : stalled) {
            assertInstanceOf(TelegramException.OutcomeUnknown.class, outcome(call), "written, no answer");
        }
        telegram.catchUp();
        await().atMost(WAIT).until(() -> telegram.starTransactionCount() == POOL);
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> giftsTo(42) == 0 && telegram.starTransactionCount() == POOL);
    }

    @Test
    void aCallUnansweredByItsDeadlineIsResetAndOverWithinTheCallTimeout() {
        BotApiTransport transport = new BotApiTransport(vertx, config(telegram.baseUrl()), SMALL_POOL);
        telegram.stall();
        long start = System.nanoTime();

        Throwable failure = failureOf(transport, "giftPremiumSubscription", gift(42));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertInstanceOf(TelegramException.OutcomeUnknown.class, failure, "it was written: the gift may be made");
        assertTrue(took.compareTo(Duration.ofMillis(1500)) < 0, "over by the call timeout (1 s), took " + took);
        // the connection was closed with the reset: the pool serves the next call once Telegram answers again
        telegram.catchUp();
        assertEquals(
                Boolean.TRUE,
                transport.post("giftPremiumSubscription", gift(43)).await().atMost(WAIT));
    }

    @Test
    void aFullWaitQueueFailsTheNextRequestAtOnceUnwritten() {
        BotApiTransport transport = new BotApiTransport(vertx, config(telegram.baseUrl(), 1), SMALL_POOL);
        stallEveryConnection(transport);
        CompletableFuture<Throwable> waiting = outcomeOf(transport.post("giftPremiumSubscription", gift(41)));

        Throwable overflow = failureOf(transport, "giftPremiumSubscription", gift(42));

        TelegramException.NotSent notSent = assertInstanceOf(TelegramException.NotSent.class, overflow);
        assertTrue(notSent.getMessage().contains("ConnectionPoolTooBusyException"), notSent.getMessage());
        assertInstanceOf(TelegramException.NotSent.class, outcome(waiting));
        telegram.catchUp();
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> giftsTo(41) == 0 && giftsTo(42) == 0);
    }

    @Test
    void aCallerThatGivesUpLeavesNothingToBeWrittenLater() {
        BotApiTransport transport = new BotApiTransport(vertx, config(telegram.baseUrl()), SMALL_POOL);
        stallEveryConnection(transport);
        Cancellable queued =
                transport.post("giftPremiumSubscription", gift(42)).subscribe().with(item -> {}, failure -> {});

        queued.cancel();

        telegram.catchUp();
        await().atMost(WAIT).until(() -> telegram.starTransactionCount() == POOL);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> giftsTo(42) == 0);
    }

    private long giftsTo(long userId) {
        return telegram.calls("giftPremiumSubscription").stream()
                .filter(call -> call.longParam("user_id") == userId)
                .count();
    }

    /** The call under way; completes with its failure, or null when it succeeded. */
    private static CompletableFuture<Throwable> outcomeOf(Uni<Object> call) {
        return call.onItem()
                .transform(item -> (Throwable) null)
                .onFailure()
                .recoverWithItem(failure -> failure)
                .subscribeAsCompletionStage();
    }

    private static Throwable outcome(CompletableFuture<Throwable> call) {
        return call.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** The same settings with another token. */
    private record TelegramConfigWithToken(TelegramConfig base, String botToken) implements TelegramConfig {
        public String apiUrl() {
            return base.apiUrl();
        }

        public Duration connectTimeout() {
            return base.connectTimeout();
        }

        public Duration poolWait() {
            return base.poolWait();
        }

        public int maxWaitQueue() {
            return base.maxWaitQueue();
        }

        public long timeoutMillis() {
            return base.timeoutMillis();
        }

        public long circuitOpenMillis() {
            return base.circuitOpenMillis();
        }
    }
}
