package io.premiumbot.api.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.premiumbot.api.orders.OrderQueries;
import io.premiumbot.api.payments.BotStars;
import io.premiumbot.api.payments.StarSupply;
import io.premiumbot.api.payments.UnmatchedPayments;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.queue.QueueKeys;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells the operators in Telegram when an order became DELIVERY_UNKNOWN or FAILED, a payment matched nobody,
 * deliveries are paused because the bot's Stars don't cover a gift, or a purchase was refused as sold out — each with a link to its console page. Read
 * from PostgreSQL on a schedule (so it sees what any worker did); each alert is claimed in Redis once per chat,
 * so several replicas send it once, and a send that fails or finds no Telegram budget is released and tried again.
 */
@ApplicationScoped
public class OperatorAlerts {

    private static final Logger LOG = Logger.getLogger(OperatorAlerts.class);
    private static final String SENT = QueueKeys.HASH_TAG + ":alerts:sent:";
    /** An alert is claimed this long: trouble still there after it is told again. */
    private static final Duration REMEMBER = Duration.ofDays(2);
    /** PAID orders this old while Stars are short: deliveries are paused, not just busy. */
    private static final Duration PAUSED_AFTER = Duration.ofMinutes(2);

    /** One message for the operators; {@code key} names it for the once-only claim. */
    record Alert(String key, String text) {}

    private final AlertsConfig config;
    private final AlertSender sender;
    private final OrderQueries orders;
    private final UnmatchedPayments unmatched;
    private final BotStars stars;
    private final StarSupply supply;
    private final ReactiveRedisDataSource redis;

    public OperatorAlerts(
            AlertsConfig config,
            AlertSender sender,
            OrderQueries orders,
            UnmatchedPayments unmatched,
            BotStars stars,
            StarSupply supply,
            ReactiveRedisDataSource redis) {
        this.supply = supply;
        this.config = config;
        this.sender = sender;
        this.orders = orders;
        this.unmatched = unmatched;
        this.stars = stars;
        this.redis = redis;
    }

    @Scheduled(
            every = "${alerts.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return runOnce()
                .onFailure()
                .invoke(failure -> LOG.warnf(
                        "event=operator_alerts_failed cause=%s",
                        failure.getClass().getSimpleName()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** One pass: how many messages went out. */
    public Uni<Integer> runOnce() {
        List<Long> chats = config.chatIds().orElse(List.of());
        if (chats.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return collect()
                .flatMap(alerts -> Multi.createFrom()
                        .iterable(alerts)
                        .onItem()
                        .transformToUniAndConcatenate(alert -> Multi.createFrom()
                                .iterable(chats)
                                .onItem()
                                .transformToUniAndConcatenate(chat -> deliverOnce(alert, chat))
                                .collect()
                                .asList())
                        .collect()
                        .asList()
                        .map(perAlert -> perAlert.stream()
                                .flatMap(List::stream)
                                .mapToInt(sent -> sent ? 1 : 0)
                                .sum()));
    }

    private Uni<List<Alert>> collect() {
        List<Alert> alerts = new ArrayList<>();
        return orders.search(new OrderQueries.Search(OrderStatus.DELIVERY_UNKNOWN, null, null, null, 100))
                .invoke(list -> list.forEach(order -> alerts.add(new Alert(
                        "order:" + order.id + ":DELIVERY_UNKNOWN",
                        "⚠️ Order " + order.id + " is DELIVERY_UNKNOWN: check with Telegram, then decide.\n"
                                + link("/orders/" + order.id)))))
                .chain(() -> orders.search(new OrderQueries.Search(OrderStatus.FAILED, null, null, null, 100)))
                .invoke(list -> list.forEach(order -> alerts.add(new Alert(
                        "order:" + order.id + ":FAILED",
                        "❌ Order " + order.id + " FAILED"
                                + (order.failureReason == null ? "" : " (" + order.failureReason + ")")
                                + ": refund or retry.\n" + link("/orders/" + order.id)))))
                .chain(() -> unmatched.list(100))
                // keyed by the transfer's own id: a serial id repeats after a restore, and Redis remembers what was
                // sent
                .invoke(list -> list.forEach(payment -> alerts.add(new Alert(
                        "payment:" + payment.provider + ":" + payment.externalId,
                        "💸 A payment of "
                                + Money.ofMicros(payment.amountMicros).plain() + " " + payment.currency
                                + " matched nobody: assign it.\n" + link("/payments")))))
                .chain(() -> starsPaused())
                .invoke(paused -> paused.ifPresent(alerts::add))
                .chain(() -> Panache.withTransaction(this::soldOut))
                .invoke(soldOut -> soldOut.ifPresent(alerts::add))
                .replaceWith(alerts);
    }

    /**
     * A purchase was refused because the Stars didn't cover it: told once per sold-out spell (keyed by when it began).
     * The spell ends once every plan can be sold again, and the next refusal starts a new one.
     */
    private Uni<Optional<Alert>> soldOut() {
        return supply.view().flatMap(treasury -> {
            if (treasury.soldOutSince() == null) {
                return Uni.createFrom().item(Optional.<Alert>empty());
            }
            if (treasury.coversEveryPlan()) {
                return supply.spellOver(treasury.soldOutSince()).replaceWith(Optional.<Alert>empty());
            }
            return Uni.createFrom()
                    .item(Optional.of(new Alert(
                            "stars-sold-out:" + treasury.soldOutSince().toEpochMilli(),
                            "🚫 Premium is sold out: a purchase was refused because the bot's Stars don't cover it"
                                    + " (balance " + treasury.balance() + ", reserved " + treasury.reserved()
                                    + ", available " + treasury.available() + "). Nothing was charged."
                                    + " Top up the bot's Stars.\n" + link("/stars"))));
        });
    }

    /** Only asks Telegram when PAID orders wait: a quiet shop costs no Bot API call. */
    private Uni<Optional<Alert>> starsPaused() {
        return orders.search(new OrderQueries.Search(
                        OrderStatus.PAID, null, null, Instant.now().minus(PAUSED_AFTER), 1))
                .flatMap(waiting -> waiting.isEmpty()
                        ? Uni.createFrom().item(Optional.<Alert>empty())
                        : stars.balance()
                                .map(balance -> balance >= Months.THREE.stars()
                                        ? Optional.<Alert>empty()
                                        // once an hour while it lasts
                                        : Optional.of(new Alert(
                                                "stars-paused:" + Instant.now().getEpochSecond() / 3600,
                                                "⏸ Deliveries are paused: the bot has " + balance
                                                        + " Stars, a gift needs " + Months.THREE.stars()
                                                        + ". Top up the bot's Stars.\n" + link("/stars")))));
    }

    private Uni<Boolean> deliverOnce(Alert alert, long chat) {
        String key = SENT + alert.key() + ":" + chat;
        return claim(key)
                .flatMap(claimed -> !claimed
                        ? Uni.createFrom().item(false)
                        : sender.send(chat, alert.text())
                                .flatMap(sent -> sent ? Uni.createFrom().item(true) : release(key))
                                .onFailure()
                                .recoverWithUni(failure -> {
                                    LOG.warnf(
                                            "event=operator_alert_not_sent alert=%s cause=%s",
                                            alert.key(), failure.getClass().getSimpleName());
                                    return release(key);
                                }));
    }

    /** SET NX: the one replica (and the one pass) that wins sends it. */
    private Uni<Boolean> claim(String key) {
        return redis.execute("SET", key, "1", "NX", "EX", String.valueOf(REMEMBER.toSeconds()))
                .map(reply -> reply != null);
    }

    private Uni<Boolean> release(String key) {
        return redis.key(String.class).del(key).replaceWith(false);
    }

    private String link(String path) {
        String base = config.consoleUrl().endsWith("/")
                ? config.consoleUrl().substring(0, config.consoleUrl().length() - 1)
                : config.consoleUrl();
        return base + path;
    }
}
