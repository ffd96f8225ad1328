package io.premiumbot.api.orders;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.premiumbot.model.ledger.LedgerEntry;
import io.premiumbot.model.order.DeliveryAttempt;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.refund.StarRefundRequests;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Read side of orders for the operator and the bot. */
@ApplicationScoped
public class OrderQueries {

    public record Search(OrderStatus status, Long userId, Instant from, Instant to, int limit) {}

    public record Detail(Order order, List<DeliveryAttempt> attempts, List<LedgerEntry> ledgerEntries) {}

    private final StarRefundRequests starRefunds;

    public OrderQueries(StarRefundRequests starRefunds) {
        this.starRefunds = starRefunds;
    }

    @WithSession
    public Uni<Order> byId(String id) {
        return Order.<Order>findById(id).onItem().ifNull().failWith(() -> new OrderNotFoundException(id));
    }

    /**
     * The order with its delivery attempts and ledger entries. The three reads share one session, so they run one
     * after the other (a reactive session takes one query at a time; {@code Uni.combine()} would run them at once).
     */
    @WithSession
    public Uni<Detail> detail(String id) {
        return Order.<Order>findById(id)
                .onItem()
                .ifNull()
                .failWith(() -> new OrderNotFoundException(id))
                .flatMap(order -> attempts(id).map(attempts -> new Detail(order, attempts, List.of())))
                .flatMap(detail ->
                        ledgerEntries(id).map(entries -> new Detail(detail.order(), detail.attempts(), entries)));
    }

    /** Why the order can't be retried although it may be FAILED: its Stars refund is under way; empty when it can. */
    @WithSession
    public Uni<Optional<String>> retryUnavailable(String id) {
        return starRefunds.underway(id).map(underway -> underway.map(StarRefundRequests.Underway::why));
    }

    private static Uni<List<DeliveryAttempt>> attempts(String orderId) {
        return DeliveryAttempt.list("orderId", Sort.by("attempt"), orderId);
    }

    private static Uni<List<LedgerEntry>> ledgerEntries(String orderId) {
        return LedgerEntry.list("reference", Sort.by("id"), orderId);
    }

    /** Newest first, the id breaking ties: what the indexes on (…, created_at desc, id) return in order. */
    private static final Comparator<Order> NEWEST_FIRST =
            Comparator.comparing((Order order) -> order.createdAt).reversed().thenComparing(order -> order.id);

    /**
     * Newest first; every filter optional. The user filter matches buyer or recipient: read as two newest-first index
     * ranges of at most a page each (as buyer, as recipient) and merged, so a page costs a page however many orders
     * the user has — an {@code or} of the two would read and sort all of them.
     */
    @WithSession
    public Uni<List<Order>> search(Search search) {
        if (search.userId() == null) {
            return page(search, null);
        }
        return page(search, "buyerId")
                .flatMap(asBuyer -> page(search, "recipientId").map(asRecipient -> {
                    Map<String, Order> merged = new LinkedHashMap<>();
                    asBuyer.forEach(order -> merged.put(order.id, order));
                    asRecipient.forEach(order -> merged.putIfAbsent(order.id, order));
                    return merged.values().stream()
                            .sorted(NEWEST_FIRST)
                            .limit(search.limit())
                            .toList();
                }));
    }

    private Uni<List<Order>> page(Search search, String userColumn) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (search.status() != null) {
            where.add("status = :status");
            params.and("status", search.status());
        }
        if (userColumn != null) {
            where.add(userColumn + " = :user");
            params.and("user", search.userId());
        }
        if (search.from() != null) {
            where.add("createdAt >= :from");
            params.and("from", search.from());
        }
        if (search.to() != null) {
            where.add("createdAt < :to");
            params.and("to", search.to());
        }
        String query = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
        return Order.<Order>find(query, Sort.descending("createdAt").and("id"), params)
                .page(Page.ofSize(search.limit()))
                .list();
    }

    /** The buyer's latest orders, for /orders in the bot. Within the caller's session. */
    public Uni<List<Order>> latestOf(long buyerId, int limit) {
        return Order.<Order>find("buyerId", Sort.descending("createdAt"), buyerId)
                .page(Page.ofSize(limit))
                .list();
    }
}
