package io.premiumbot.worker.telegram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.premiumbot.model.telegram.TelegramBudgetConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One HTTP POST to {@code {api-url}/bot{token}/{method}}, answered as the Bot API's result or a classified
 * {@link TelegramException}. The URL is built here and never leaves this class, because it carries the token.
 *
 * <p>Every bound is Vert.x's own, so a request the worker gave up on can never be written afterwards: a connect
 * timeout; a pool wait (a request that got no connection in time is dropped from the pool's queue, unwritten); a
 * bounded wait queue (one more fails at once); and the whole call's deadline, after which the request is reset (its
 * connection closed). Failures before the request was written are {@link TelegramException.NotSent}; after, with no
 * answer, {@link TelegramException.OutcomeUnknown}.
 */
@ApplicationScoped
public class BotApiTransport {

    private final io.vertx.core.Vertx vertx;
    private final HttpClient client;
    private final String baseUrl;
    private final String token;
    private final long timeoutMillis;
    private final long poolWaitMillis;

    public BotApiTransport(Vertx vertx, TelegramConfig config, TelegramBudgetConfig budget) {
        this.vertx = vertx.getDelegate();
        this.client = this.vertx.createHttpClient(
                new HttpClientOptions()
                        .setConnectTimeout((int) config.connectTimeout().toMillis())
                        .setKeepAlive(true)
                        // no Vert.x HTTP client span: its url.full would carry the token; BotApi makes one span per
                        // method
                        .setTracingPolicy(TracingPolicy.IGNORE),
                new PoolOptions()
                        .setHttp1MaxSize(Math.max(8, budget.rateLimitPerSecond()))
                        .setMaxWaitQueueSize(config.maxWaitQueue()));
        this.baseUrl = config.apiUrl().endsWith("/")
                ? config.apiUrl().substring(0, config.apiUrl().length() - 1)
                : config.apiUrl();
        this.token = config.botToken();
        this.timeoutMillis = config.timeoutMillis();
        this.poolWaitMillis = config.poolWait().toMillis();
    }

    /** When a call handed over now must be over: answered, reset, or never written ({@link System#nanoTime()}). */
    public long deadlineFromNow() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** The call, bounded by {@code telegram.timeout-millis} from now. */
    public Uni<Object> post(String method, JsonObject params) {
        return post(method, params, deadlineFromNow());
    }

    /** The call, over by {@code deadline} ({@link System#nanoTime()}): answered, reset, or never written. */
    public Uni<Object> post(String method, JsonObject params, long deadline) {
        return Uni.createFrom().emitter(emitter -> new Exchange(method, params.toBuffer(), deadline, emitter).start());
    }

    /** One request's life; its methods run on an event loop or the subscriber's thread, hence the lock. */
    private final class Exchange {

        private final String method;
        private final Buffer body;
        private final long deadline;
        private final UniEmitter<? super Object> emitter;
        private HttpClientRequest request;
        private long deadlineTimer = -1;
        private boolean over;

        Exchange(String method, Buffer body, long deadline, UniEmitter<? super Object> emitter) {
            this.method = method;
            this.body = body;
            this.deadline = deadline;
            this.emitter = emitter;
        }

        void start() {
            // a subscriber that gives up (cancels) must not leave the request to be written later
            emitter.onTermination(this::abandon);
            long left = millisLeft();
            if (left <= 0) {
                fail(new TelegramException.NotSent(method, "the call's time ran out before it was sent", null, null));
                return;
            }
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setAbsoluteURI(baseUrl + "/bot" + token + "/" + method)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.USER_AGENT, "premium-worker")
                    // pool wait and connect: past it Vert.x takes the request off the pool's queue, never to be written
                    .setConnectTimeout(Math.min(poolWaitMillis, left));
            client.request(options).onComplete(this::connected);
        }

        private synchronized void connected(AsyncResult<HttpClientRequest> connection) {
            if (connection.failed()) {
                // no request object existed yet: nothing of it can have been written
                fail(notSent(method, connection.cause()));
                return;
            }
            HttpClientRequest obtained = connection.result();
            // a reset's failure reaches the caller as this exchange's outcome; Vert.x would log it again
            obtained.exceptionHandler(ignored -> {});
            long left = millisLeft();
            if (over || left <= 0) {
                // given up (the caller cancelled) or out of time before it was written: it never will be
                obtained.reset(0, new TimeoutException("given up before it was written"));
                if (!over) {
                    fail(new TelegramException.NotSent(
                            method, "the call's time ran out before it was sent", null, null));
                }
                return;
            }
            request = obtained;
            deadlineTimer = vertx.setTimer(left, id -> expired());
            obtained.send(body)
                    .compose(response -> response.body().map(answer -> new Answered(response.statusCode(), answer)))
                    .onComplete(this::answered);
        }

        private synchronized void answered(AsyncResult<Answered> result) {
            if (over) {
                return;
            }
            vertx.cancelTimer(deadlineTimer);
            if (result.failed()) {
                fail(new TelegramException.OutcomeUnknown(method, result.cause()));
                return;
            }
            try {
                Object value = BotApiAnswers.read(
                        method, result.result().status(), result.result().body());
                over = true;
                emitter.complete(value);
            } catch (TelegramException e) {
                fail(e);
            }
        }

        /** The whole call's bound: the request is reset, so nothing more of it goes out after the deadline. */
        private synchronized void expired() {
            if (over) {
                return;
            }
            TimeoutException timeout =
                    new TimeoutException("no answer within the call's " + timeoutMillis + " ms; request reset");
            // over first: the reset fails the send at once, and that failure must not answer the caller twice
            over = true;
            request.reset(0, timeout);
            emitter.fail(new TelegramException.OutcomeUnknown(method, timeout));
        }

        private synchronized void abandon() {
            if (over) {
                return;
            }
            over = true;
            if (request != null) {
                vertx.cancelTimer(deadlineTimer);
                request.reset(0, new TimeoutException("the caller gave up"));
            }
        }

        private void fail(TelegramException failure) {
            over = true;
            emitter.fail(failure);
        }

        private long millisLeft() {
            return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        }
    }

    private record Answered(int status, Buffer body) {}

    /**
     * What failed before a request existed: a refused or timed-out connect, no pooled connection within the pool wait,
     * a full wait queue, a closed client. Only the failure's class is kept in the message (its text may name the
     * host); it is the cause.
     */
    private static TelegramException notSent(String method, Throwable failure) {
        return new TelegramException.NotSent(
                method, "no connection: " + failure.getClass().getSimpleName(), null, failure);
    }

    /** Closes the pool; requests still in flight are reset with it. */
    @PreDestroy
    void close() {
        client.close();
    }
}
