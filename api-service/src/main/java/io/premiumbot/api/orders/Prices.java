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

    private static final String SET = """
            insert into prices (months, price_micros, star_price, updated_at) values (?1, coalesce(?2, 0), coalesce(?3, ?4), ?5)
            on conflict (months) do update set price_micros = coalesce(?2, prices.price_micros),
                star_price = coalesce(?3, prices.star_price), updated_at = excluded.updated_at""";

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
                        .setParameter(4, months.stars())
                        .setParameter(5, Instant.now())
                        .executeUpdate())
                .call(() -> audit.record("price.set", "months:" + months.count(), operator, detail))
                .flatMap(ignored -> Panache.getSession())
                .flatMap(session -> session.createQuery("from Price p where p.months = :months", Price.class)
                        .setParameter("months", months.count())
                        .getSingleResult());
    }
}
