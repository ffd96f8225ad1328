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

/** USDT prices per month count, stored in PostgreSQL and set by the operator. */
@ApplicationScoped
public class Prices {

    private final AuditLog audit;

    public Prices(AuditLog audit) {
        this.audit = audit;
    }

    /** Within the caller's session. */
    public Uni<Money> priceOf(Months months) {
        return Price.<Price>findById(months.count())
                .onItem()
                .ifNull()
                .failWith(() -> new IllegalStateException("no price configured for " + months.count() + " months"))
                .map(price -> Money.ofMicros(price.priceMicros));
    }

    @WithSession
    public Uni<List<Price>> all() {
        return Price.<Price>listAll(Sort.by("months"));
    }

    /** The price, its audit row, one transaction. Orders already made keep the price they snapshotted. */
    @WithTransaction
    public Uni<Price> update(Months months, Money price, Operator operator) {
        return set(months, price)
                .call(() -> audit.record("price.set", "months:" + months.count(), operator, "price=" + price.plain()))
                .flatMap(ignored -> Panache.getSession())
                .flatMap(session -> session.createQuery("from Price p where p.months = :months", Price.class)
                        .setParameter("months", months.count())
                        .getSingleResult());
    }

    private Uni<Void> set(Months months, Money price) {
        if (!price.isPositive()) {
            throw new IllegalArgumentException("price must be positive, was " + price.plain());
        }
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("""
                insert into prices (months, price_micros, updated_at) values (?1, ?2, ?3)
                on conflict (months) do update set price_micros = excluded.price_micros, updated_at = excluded.updated_at""")
                        .setParameter(1, months.count())
                        .setParameter(2, price.micros())
                        .setParameter(3, Instant.now())
                        .executeUpdate())
                .replaceWithVoid();
    }
}
