package io.premiumbot.api.orders;

import java.time.Instant;
import java.util.List;

import io.premiumbot.api.audit.AuditLog;
import io.premiumbot.api.audit.Operator;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.premiumbot.model.order.Price;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The prices of each month count, stored in PostgreSQL and set by the operator: in USDT and in Stars (what a customer
 * pays; the gift's cost in Stars is Telegram's, {@link Months#stars()}).
 */
@ApplicationScoped
public class Prices {

    /** The largest Stars price an operator may set: a bound against a typo, far above Telegram's gift costs. */
    public static final int MAX_STARS = 100_000;

    /** Every plan has its row from the first migration on; what is left out (null) stays. */
    private static final String SET = """
            update prices set price_micros = coalesce(cast(?2 as bigint), price_micros),
                              star_price = coalesce(cast(?3 as integer), star_price), updated_at = ?4
            where months = ?1""";

    /** A plan's list prices: USDT, and Stars as the customer pays them. */
    public record Listed(Money price, int stars) {}

    private final AuditLog audit;

    public Prices(AuditLog audit) {
        this.audit = audit;
    }

    /** Within the caller's session. */
    public Uni<Listed> listOf(Months months) {
        return Price.<Price>findById(months.count())
                .onItem()
                .ifNull()
                .failWith(() -> new IllegalStateException("no price configured for " + months.count() + " months"))
                .map(price -> new Listed(Money.ofMicros(price.priceMicros), price.starPrice));
    }

    @WithSession
    public Uni<List<Price>> all() {
        return Price.<Price>listAll(Sort.by("months"));
    }

    /**
     * The USDT price, the Stars price or both (null: unchanged), with its audit row, one transaction. Orders and
     * confirmations already made keep the prices they snapshotted.
     */
    @WithTransaction
    public Uni<Price> update(Months months, Money price, Integer stars, Operator operator) {
        if (price == null && stars == null) {
            throw new IllegalArgumentException("price or stars is required");
        }
        if (price != null && !price.isPositive()) {
            throw new IllegalArgumentException("price must be positive, was " + price.plain());
        }
        if (stars != null && (stars < 1 || stars > MAX_STARS)) {
            throw new IllegalArgumentException("stars must be 1 to " + MAX_STARS + ", was " + stars);
        }
        String detail = (price == null ? "" : "price=" + price.plain())
                + (price != null && stars != null ? " " : "")
                + (stars == null ? "" : "stars=" + stars);
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(SET)
                        .setParameter(1, months.count())
                        .setParameter(2, price == null ? null : price.micros())
                        .setParameter(3, stars)
                        .setParameter(4, Instant.now())
                        .executeUpdate())
                .invoke(updated -> {
                    if (updated != 1) {
                        throw new IllegalStateException("no price row for " + months.count() + " months");
                    }
                })
                .call(() -> audit.record("price.set", "months:" + months.count(), operator, detail))
                .flatMap(ignored -> Panache.getSession())
                .flatMap(session -> session.createQuery("from Price p where p.months = :months", Price.class)
                        .setParameter("months", months.count())
                        .getSingleResult());
    }
}
