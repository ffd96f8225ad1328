package io.premiumbot.api.payments;

import java.time.Instant;

import io.premiumbot.model.money.Money;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Allocates the unique on-chain amount of a payment request: the base price plus a suffix of
 * 0.001 to 0.999 USDT, free among OPEN requests. One statement picks a random free suffix and inserts it;
 * the partial unique index decides races, and the rare loser simply picks again.
 */
@ApplicationScoped
public class PayAmounts {

    static final long SUFFIX_STEP_MICROS = 1_000;
    static final int SUFFIXES = 999;
    private static final int ATTEMPTS = 5;

    private static final String ALLOCATE = """
            insert into payment_requests (user_id, order_id, amount_micros, status, created_at, expires_at)
            select ?1, ?2, free.candidate, 'OPEN', ?3, ?4
            from (select ?5 + s * ?6 as candidate
                  from generate_series(1, ?7) as s
                  where not exists (select 1 from payment_requests r
                                    where r.status = 'OPEN' and r.amount_micros = ?5 + s * ?6)
                  order by random()
                  limit 1) as free
            on conflict (amount_micros) where status = 'OPEN' do nothing
            returning amount_micros""";

    /** Within the caller's transaction. {@code orderId} is null for a top-up. */
    public Uni<Money> allocate(long userId, String orderId, Money base, Instant now, Instant expiresAt) {
        return attempt(userId, orderId, base, now, expiresAt, 1);
    }

    private Uni<Money> attempt(long userId, String orderId, Money base, Instant now, Instant expiresAt, int attempt) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(ALLOCATE, Long.class)
                        .setParameter(1, userId)
                        .setParameter(2, orderId)
                        .setParameter(3, now)
                        .setParameter(4, expiresAt)
                        .setParameter(5, base.micros())
                        .setParameter(6, SUFFIX_STEP_MICROS)
                        .setParameter(7, SUFFIXES)
                        .getSingleResultOrNull())
                .flatMap(amount -> {
                    if (amount != null) {
                        return Uni.createFrom().item(Money.ofMicros(amount));
                    }
                    if (attempt >= ATTEMPTS) {
                        return Uni.createFrom().failure(new NoFreePayAmountException(base));
                    }
                    return attempt(userId, orderId, base, now, expiresAt, attempt + 1);
                });
    }
}
