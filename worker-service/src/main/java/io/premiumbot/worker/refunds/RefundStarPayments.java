package io.premiumbot.worker.refunds;

import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.premiumbot.worker.notify.CustomerNotifications;
import io.premiumbot.worker.queue.Backoff;
import io.premiumbot.worker.telegram.BotApi;
import io.premiumbot.worker.telegram.CallWithheld;
import io.premiumbot.worker.telegram.TelegramException;
import io.premiumbot.worker.treasury.RefreshStarBalance;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.vertx.SafeVertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Gives Stars back with {@code refundStarPayment}, for every PENDING row of {@code star_refunds} (an order paid in
 * Stars that can't be delivered, Stars that arrived for an order that couldn't take them). Telegram's {@code true}
 * is the proof and is recorded; "CHARGE_ALREADY_REFUNDED" proves the same (an earlier try whose answer was lost);
 * another definite refusal is recorded as REFUSED for the operator; anything unclear or unavailable is tried again
 * with backoff, without end, because those Stars belong to the customer.
 */
@Startup
@ApplicationScoped
public class RefundStarPayments {

    private static final Logger LOG = Logger.getLogger(RefundStarPayments.class);
    private static final String ALREADY_REFUNDED = "CHARGE_ALREADY_REFUNDED";
    /** Every value of {@code outcome} on {@code premium_star_refunds_total}, registered at zero so a first refusal counts. */
    private static final List<String> OUTCOMES = List.of(
            "refunded", "already_refunded", "refused", "retry", "skipped", "not_recorded", "withheld", "withdrawn");

    private final StarRefundLedger ledger;
    private final BotApi botApi;
    private final StarRefundsConfig config;
    private final Backoff backoff;
    private final CustomerNotifications notifications;
    private final MeterRegistry registry;
    private final RefreshStarBalance balance;

    public RefundStarPayments(
            StarRefundLedger ledger,
            BotApi botApi,
            StarRefundsConfig config,
            CustomerNotifications notifications,
            MeterRegistry registry,
            RefreshStarBalance balance) {
        this.balance = balance;
        this.ledger = ledger;
        this.botApi = botApi;
        this.config = config;
        this.backoff = new Backoff(config.minBackoff(), config.maxBackoff());
        this.notifications = notifications;
        this.registry = registry;
        OUTCOMES.forEach(this::counter);
    }

    @Scheduled(
            identity = "refund-star-payments",
            every = "${refunds.stars.every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    @SafeVertxContext
    Uni<Void> onSchedule() {
        return refundDue().replaceWithVoid();
    }

    /** Works through the refunds due now; the number handled (whatever their outcome). */
    public Uni<Integer> refundDue() {
        // the run's own context: the last look before each call, after the rate limiter's wait, comes back to it
        Context context = Vertx.currentContext();
        return withdrawDelivered()
                .chain(() -> ledger.claimDue(config.batchSize(), config.lease()))
                .flatMap(due -> due.isEmpty() ? Uni.createFrom().item(0) : refundAll(due, context));
    }

    /** A refund whose order was delivered after all never goes out (rows from before migration V14). */
    private Uni<Void> withdrawDelivered() {
        return ledger.withdrawDelivered()
                .invoke(withdrawn -> withdrawn.forEach(row -> {
                    int attempts = ((Number) row[1]).intValue();
                    count("withdrawn");
                    if (attempts > 0) {
                        // a try that got a 5xx or no answer may have refunded: the customer may hold both
                        LOG.errorf("event=star_refund_withdrawn_after_tries orderId=%s attempts=%d", row[0], attempts);
                    } else {
                        LOG.warnf("event=star_refund_withdrawn orderId=%s", row[0]);
                    }
                }))
                .replaceWithVoid();
    }

    private Uni<Integer> refundAll(List<StarRefund> due, Context context) {
        return Multi.createFrom()
                .iterable(due)
                .onItem()
                .transformToUniAndConcatenate(refund -> refund(refund, context))
                .collect()
                .asList()
                .map(List::size);
    }

    private Uni<String> refund(StarRefund refund, Context context) {
        return botApi.refundStarPayment(refund.userId(), refund.chargeId(), stillDue(refund, context))
                .replaceWith((TelegramException) null)
                .onFailure(TelegramException.class)
                .recoverWithItem(TelegramException.class::cast)
                .flatMap(failure -> record(refund, failure))
                .onFailure(CallWithheld.class)
                .recoverWithItem(withheld -> {
                    LOG.warnf(
                            "event=star_refund_withheld refund=%d orderId=%s why=%s",
                            refund.id(), refund.orderId(), withheld.getMessage());
                    return "withheld";
                })
                .invoke(outcome -> count(outcome))
                // a database blip after the call: the lease runs out and the next try is answered
                // CHARGE_ALREADY_REFUNDED
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.errorf(
                            "event=star_refund_not_recorded refund=%d orderId=%s error=%s",
                            refund.id(), refund.orderId(), failure.getMessage());
                    count("not_recorded");
                    return "not_recorded";
                });
    }

    /**
     * Run after the rate limiter's wait, right before the request: the refund must still be due and its order still
     * FAILED, or nothing is sent (an order that got delivered is never refunded as well).
     */
    private Uni<Void> stillDue(StarRefund refund, Context context) {
        return Uni.createFrom()
                .deferred(() -> ledger.stillDue(refund))
                .runSubscriptionOn(
                        context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run()))
                .flatMap(due -> due
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom()
                                .failure(new CallWithheld("the refund is no longer due or its order not FAILED")));
    }

    private Uni<String> record(StarRefund refund, TelegramException failure) {
        if (failure == null) {
            return done(refund, "refunded");
        }
        if (failure instanceof TelegramException.Rejected rejected
                && rejected.description() != null
                && rejected.description().contains(ALREADY_REFUNDED)) {
            return done(refund, "already_refunded");
        }
        if (failure instanceof TelegramException.Rejected rejected) {
            LOG.errorf(
                    "event=star_refund_refused refund=%d orderId=%s user=%d code=%d description=%s",
                    refund.id(), refund.orderId(), refund.userId(), rejected.errorCode(), rejected.description());
            return ledger.refused(refund, rejected.errorCode() + " " + rejected.description())
                    .replaceWith("refused");
        }
        Duration after = failure instanceof TelegramException.RateLimited limited
                ? limited.retryAfter()
                : backoff.afterAttempt(refund.attempts() + 1);
        LOG.warnf(
                "event=star_refund_retry refund=%d orderId=%s attempt=%d after=%s error=%s",
                refund.id(), refund.orderId(), refund.attempts() + 1, after, failure.getMessage());
        return ledger.later(refund, failure.getMessage(), after).replaceWith("retry");
    }

    private Uni<String> done(StarRefund refund, String outcome) {
        return ledger.refunded(refund, outcome).flatMap(recorded -> {
            if (!recorded) {
                return Uni.createFrom().item("skipped");
            }
            LOG.infof(
                    "event=star_refund_done refund=%d orderId=%s user=%d stars=%d outcome=%s",
                    refund.id(), refund.orderId(), refund.userId(), refund.stars(), outcome);
            balance.afterSpending();
            return notifications
                    .starsRefunded(refund.chargeId(), refund.orderId(), refund.userId(), refund.stars())
                    .replaceWith(outcome);
        });
    }

    private void count(String outcome) {
        counter(outcome).increment();
    }

    private Counter counter(String outcome) {
        return Counter.builder("premium_star_refunds")
                .description("Stars refund tries by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }
}
