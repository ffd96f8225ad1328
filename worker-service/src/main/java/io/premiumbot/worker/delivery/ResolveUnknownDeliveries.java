package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.OrderTransitions;
import io.premiumbot.worker.queue.JobQueue;
import io.premiumbot.worker.queue.WorkerConfig;
import io.premiumbot.worker.telegram.BotApi;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.vertx.SafeVertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Settles DELIVERY_UNKNOWN orders against the bot's own Star transactions (SPEC §5). Every gift the bot paid
 * for is listed as a {@code premium_purchase} to the recipient with its months. For one recipient and month
 * count, purchases since the unknown attempt began beyond the orders already DELIVERED in that window mean
 * the gift went out → DELIVERED. No such purchase, in a list read to its end, once the settle delay has
 * passed → the gift never happened → PAID again and enqueued. Anything else waits for the operator.
 */
@ApplicationScoped
public class ResolveUnknownDeliveries {

    private static final Logger LOG = Logger.getLogger(ResolveUnknownDeliveries.class);
    private static final int PAGE = 100;
    /** Telegram dates are whole seconds and clocks drift: the window opens a little before the attempt. */
    private static final Duration CLOCK_SLACK = Duration.ofSeconds(5);
    private static final int BATCH = 50;

    private static final String UNKNOWN_ORDERS = """
            select o.id, o.recipient_id, o.months,
                   cast(extract(epoch from coalesce(max(a.started_at), o.updated_at)) * 1000 as bigint)
            from orders o left join delivery_attempts a on a.order_id = o.id
            where o.status = 'DELIVERY_UNKNOWN' and o.updated_at < ?1
            group by o.id order by o.updated_at limit ?2""";

    private static final String DELIVERED_SINCE = """
            select count(*) from orders
            where status = 'DELIVERED' and recipient_id = ?1 and months = ?2 and delivered_at >= ?3""";

    private final BotApi botApi;
    private final OrderTransitions transitions;
    private final JobQueue queue;
    private final Duration settleAfter;
    private final int maxPages;

    public ResolveUnknownDeliveries(BotApi botApi, OrderTransitions transitions, JobQueue queue, WorkerConfig config) {
        this.botApi = botApi;
        this.transitions = transitions;
        this.queue = queue;
        this.settleAfter = config.reconcile().unknownSettleAfter();
        this.maxPages = config.reconcile().starTransactionPages();
    }

    /** An order whose gift may or may not have gone out, and when its last attempt began. */
    record UnknownOrder(String id, long recipientId, int months, Instant attemptStarted) {
    }

    /** Premium purchases read from Telegram; {@code complete} when the list was read to its end. */
    record Purchases(List<JsonObject> items, boolean complete) {
    }

    @Scheduled(identity = "resolve-unknown-deliveries", every = "${worker.schedule.unknown-every}", concurrentExecution = ConcurrentExecution.SKIP)
    @SafeVertxContext
    Uni<Void> onSchedule() {
        return resolve().replaceWithVoid();
    }

    /** The number of orders settled (delivered or sent again). */
    public Uni<Integer> resolve() {
        Instant cutoff = Instant.now().minus(settleAfter);
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session
                        .createNativeQuery(UNKNOWN_ORDERS, Object[].class)
                        .setParameter(1, cutoff)
                        .setParameter(2, BATCH)
                        .getResultList()))
                .map(rows -> rows.stream().map(ResolveUnknownDeliveries::toOrder).toList())
                .flatMap(orders -> orders.isEmpty()
                        ? Uni.createFrom().item(0)
                        : purchases(0, 0, new ArrayList<>()).flatMap(purchases -> settleAll(orders, purchases)));
    }

    private static UnknownOrder toOrder(Object[] row) {
        return new UnknownOrder((String) row[0], ((Number) row[1]).longValue(), ((Number) row[2]).intValue(),
                Instant.ofEpochMilli(((Number) row[3]).longValue()));
    }

    private Uni<Purchases> purchases(int offset, int pagesRead, List<JsonObject> found) {
        return botApi.getStarTransactions(offset, PAGE).flatMap(page -> {
            collectPremiumPurchases(page, found);
            if (page.size() < PAGE) {
                return Uni.createFrom().item(new Purchases(found, true));
            }
            if (pagesRead + 1 >= maxPages) {
                return Uni.createFrom().item(new Purchases(found, false));
            }
            return purchases(offset + PAGE, pagesRead + 1, found);
        });
    }

    private static void collectPremiumPurchases(JsonArray page, List<JsonObject> found) {
        for (int i = 0; i < page.size(); i++) {
            JsonObject transaction = page.getJsonObject(i);
            JsonObject receiver = transaction.getJsonObject("receiver");
            if (receiver != null && "user".equals(receiver.getString("type"))
                    && "premium_purchase".equals(receiver.getString("transaction_type"))) {
                found.add(transaction);
            }
        }
    }

    private Uni<Integer> settleAll(List<UnknownOrder> orders, Purchases purchases) {
        return Multi.createFrom().iterable(orders)
                .onItem().transformToUniAndConcatenate(order -> settle(order, purchases))
                .collect().asList()
                .map(settled -> (int) settled.stream().filter(Boolean::booleanValue).count());
    }

    private Uni<Boolean> settle(UnknownOrder order, Purchases purchases) {
        Instant windowStart = order.attemptStarted().minus(CLOCK_SLACK);
        long paidFor = purchases.items().stream().filter(purchase -> matches(purchase, order, windowStart)).count();
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery(DELIVERED_SINCE, Long.class)
                        .setParameter(1, order.recipientId())
                        .setParameter(2, order.months())
                        .setParameter(3, windowStart)
                        .getSingleResult())
                .flatMap(alreadyDelivered -> {
                    if (paidFor > alreadyDelivered) {
                        LOG.infof("event=unknown_delivery_resolved order=%s outcome=delivered", order.id());
                        return transitions.move(order.id(), OrderStatus.DELIVERY_UNKNOWN, OrderStatus.DELIVERED)
                                .map(moved -> Resolution.of(moved, false));
                    }
                    if (purchases.complete()) {
                        LOG.warnf("event=unknown_delivery_resolved order=%s outcome=not_made_sending_again", order.id());
                        return transitions.move(order.id(), OrderStatus.DELIVERY_UNKNOWN, OrderStatus.PAID)
                                .map(moved -> Resolution.of(moved, moved));
                    }
                    LOG.warnf("event=unknown_delivery_unresolved order=%s reason=star_transactions_not_read_to_end", order.id());
                    return Uni.createFrom().item(Resolution.of(false, false));
                }))
                // enqueue only after the move to PAID committed, as api-service does
                .flatMap(resolution -> resolution.enqueue()
                        ? queue.enqueueFirst(order.id()).replaceWith(true)
                        : Uni.createFrom().item(resolution.settled()));
    }

    private static boolean matches(JsonObject purchase, UnknownOrder order, Instant windowStart) {
        JsonObject receiver = purchase.getJsonObject("receiver");
        JsonObject user = receiver.getJsonObject("user");
        return user != null
                && user.getLong("id", 0L) == order.recipientId()
                && receiver.getInteger("premium_subscription_duration", 0) == order.months()
                && Instant.ofEpochSecond(purchase.getLong("date", 0L)).compareTo(windowStart) >= 0;
    }


    private record Resolution(boolean settled, boolean enqueue) {
        static Resolution of(boolean settled, boolean enqueue) {
            return new Resolution(settled, enqueue);
        }
    }
}
