package io.premiumbot.api.payments;

import java.time.Instant;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.model.treasury.StarTreasury;
import io.premiumbot.model.treasury.StarTreasuryConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The last step of a purchase before money moves: one statement ({@code star_treasury_take}, migration V20) that
 * PostgreSQL serialises on the treasury row, so replicas and a burst can't both take the last Stars. It reads only the
 * database (the worker keeps the balance there), never Telegram. An order the Stars don't cover fails with
 * {@link StarsSoldOutException}, which rolls the caller's whole transaction back.
 */
@ApplicationScoped
public class StarSupply {

    private static final Logger LOG = Logger.getLogger(StarSupply.class);

    private static final String TAKE = "select star_treasury_take(?1, ?2, cast(?3 as bigint), cast(?4 as integer))";
    /** The first refusal of a sold-out spell; later ones match nothing and lock nothing. */
    private static final String SOLD_OUT =
            "update star_treasury set sold_out_since = now() where id = 1 and sold_out_since is null";

    /** What covering an order did. */
    public enum Cover {
        /** Paid, or already holding its Stars. */
        COVERED,
        /** An unpaid order now holds its gift cost until it is paid or expires. */
        HELD,
        /** Covered, but past the unpaid bounds: it holds nothing until it is paid. */
        UNHELD
    }

    private static final String SPELL_OVER =
            "update star_treasury set sold_out_since = null where id = 1 and sold_out_since = ?1";

    private final StarTreasuryConfig treasury;
    private final StarTreasury numbers;
    private final ApiConfig.StarHolds holds;
    private final Counter refused;

    public StarSupply(
            StarTreasuryConfig treasury, StarTreasury numbers, ApiConfig.StarHolds holds, MeterRegistry registry) {
        this.treasury = treasury;
        this.numbers = numbers;
        this.holds = holds;
        this.refused = Counter.builder("premium.purchases.refused")
                .description("Purchases refused before any money moved, by reason")
                .tag("reason", "stars_sold_out")
                .register(registry);
    }

    /**
     * Before money moves for this order (created or paid in the caller's transaction, or waiting for a Stars payment):
     * covered, with a hold for an unpaid order within the bounds; otherwise {@link StarsSoldOutException}.
     */
    @WithSpan("StarSupply.cover")
    public Uni<Cover> cover(String orderId, int giftStars) {
        return take(orderId, giftStars, holds.perCustomer(), holds.sharePercent());
    }

    /** At a Stars checkout: the payment follows at once, so an order without a hold takes one whatever the bounds. */
    @WithSpan("StarSupply.coverCheckout")
    public Uni<Cover> coverCheckout(String orderId, int giftStars) {
        return take(orderId, giftStars, null, null);
    }

    private Uni<Cover> take(String orderId, int giftStars, Long perCustomer, Integer sharePercent) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(TAKE, String.class)
                        .setParameter(1, orderId)
                        .setParameter(2, treasury.safetyMargin())
                        .setParameter(3, perCustomer)
                        .setParameter(4, sharePercent)
                        .getSingleResult())
                .map(answer -> {
                    if ("SOLD_OUT".equals(answer)) {
                        refused.increment();
                        LOG.infof("event=stars_sold_out orderId=%s stars=%d", orderId, giftStars);
                        throw new StarsSoldOutException(orderId, giftStars);
                    }
                    return Cover.valueOf(answer);
                });
    }

    /** The treasury now, for the operator; in the caller's session. */
    public Uni<TreasuryView> view() {
        return numbers.numbers().map(now -> TreasuryView.of(now, treasury.safetyMargin()));
    }

    /** Ends the sold-out spell that began at {@code since} (unless a newer one began meanwhile); in a transaction. */
    public Uni<Void> spellOver(Instant since) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(SPELL_OVER)
                        .setParameter(1, since)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Starts the sold-out spell the operator is told of once (a later refusal of the same spell changes nothing). In the
     * caller's transaction: a refused purchase's own rolled back, so it runs this in a new one.
     */
    public Uni<Void> soldOutSpell() {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(SOLD_OUT).executeUpdate())
                .replaceWithVoid();
    }
}
