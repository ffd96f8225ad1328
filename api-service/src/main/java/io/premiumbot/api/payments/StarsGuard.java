package io.premiumbot.api.payments;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.model.order.Order;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The chargeback guard on buyers without a delivered order yet (off by default): a buyer who charges back the
 * app-store purchase of their Stars has them taken from the bot's balance after the gift went out, so a stranger's
 * Stars are trusted only so far. The daily limit is checked before an invoice goes out and again at
 * {@code pre_checkout_query}, under the buyer's row lock, counting the Stars they already committed: paid in Stars in
 * the last 24 hours (not refunded), and unpaid orders that have a Stars invoice or an approved checkout. So two
 * purchases or checkouts racing can't both slip under it. The hold keeps such a buyer's Stars orders from being gifted
 * until the hold from their first Stars payment has passed. In the update's transaction.
 */
@ApplicationScoped
public class StarsGuard {

    private static final Logger LOG = Logger.getLogger(StarsGuard.class);

    private static final String STANDING = """
            select exists (select 1 from orders where buyer_id = ?1 and status = 'DELIVERED'),
                   coalesce((select sum(coalesce(star_price, star_count - discount_stars)) from orders
                             where buyer_id = ?1 and id <> ?2
                               and ((pay_method = 'STARS' and paid_at > now() - interval '1 day' and status <> 'REFUNDED')
                                 or (status = 'PENDING_PAYMENT' and expires_at > now()
                                     and (pay_method = 'STARS' or checkout_approved_at is not null)))), 0)""";

    private static final String APPROVE =
            "update orders set checkout_approved_at = now() where id = ?1 and status = 'PENDING_PAYMENT'";

    private static final String HOLD = """
            update orders o set delivery_held_until = h.until,
                   gift_not_before = greatest(coalesce(o.gift_not_before, h.until), h.until)
            from (select min(paid_at) + make_interval(secs => ?3) as until from orders
                  where buyer_id = ?2 and pay_method = 'STARS' and paid_at is not null and status <> 'REFUNDED') h
            where o.id = ?1 and h.until > now()
              and not exists (select 1 from orders d where d.buyer_id = ?2 and d.status = 'DELIVERED')
            returning cast(extract(epoch from o.delivery_held_until) * 1000000 as bigint)""";

    private final ApiConfig.Shop.StarsGuard config;
    private final PayAmounts payAmounts;

    public StarsGuard(ApiConfig.Shop shop, PayAmounts payAmounts) {
        this.config = shop.starsGuard();
        this.payAmounts = payAmounts;
    }

    /**
     * Before a Stars invoice for a new order of {@code stars}: fails with {@link StarsLimitExceededException} when it
     * would take a buyer without a delivered order over the daily limit. Holds the buyer's row lock to the end of the
     * transaction.
     */
    public Uni<Void> beforeInvoice(long buyerId, int stars) {
        if (config.dailyLimit() <= 0) {
            return Uni.createFrom().voidItem();
        }
        return overLimit(buyerId, "", stars)
                .flatMap(committed -> committed.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom()
                                .failure(new StarsLimitExceededException(
                                        buyerId, config.dailyLimit(), committed.get(), stars)));
    }

    /**
     * At {@code pre_checkout_query} for an order still payable: the daily limit when this payment would go over it
     * (the checkout is refused), else empty, the approval recorded so a concurrent checkout counts this one.
     */
    public Uni<Optional<Integer>> atCheckout(Order order) {
        if (config.dailyLimit() <= 0) {
            return Uni.createFrom().item(Optional.empty());
        }
        return overLimit(order.buyerId, order.id, order.starPrice()).flatMap(committed -> {
            if (committed.isPresent()) {
                LOG.infof(
                        "event=stars_checkout_over_daily_limit orderId=%s committed=%d stars=%d",
                        order.id, committed.get(), order.starPrice());
                return Uni.createFrom().item(Optional.of(config.dailyLimit()));
            }
            return Panache.getSession()
                    .flatMap(session -> session.createNativeQuery(APPROVE)
                            .setParameter(1, order.id)
                            .executeUpdate())
                    .replaceWith(Optional.<Integer>empty());
        });
    }

    /**
     * Right after a Stars payment moved the order to PAID: holds it (and its gift) until the hold from the buyer's first
     * Stars payment has passed, when the buyer has no delivered order. The instant it is held until, or null.
     */
    public Uni<Instant> holdAfterPayment(Order order) {
        Duration hold = config.firstOrderHold();
        if (hold.isZero() || hold.isNegative()) {
            return Uni.createFrom().nullItem();
        }
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(HOLD, Long.class)
                        .setParameter(1, order.id)
                        .setParameter(2, order.buyerId)
                        .setParameter(3, hold.toMillis() / 1000.0)
                        .getSingleResultOrNull())
                .map(micros -> micros == null ? null : Instant.EPOCH.plus(micros, ChronoUnit.MICROS))
                .invoke(until -> {
                    if (until != null) {
                        LOG.infof("event=stars_order_held orderId=%s until=%s", order.id, until);
                    }
                });
    }

    /** The Stars already committed when adding {@code stars} would go over the limit; empty when it fits or doesn't apply. */
    private Uni<Optional<Long>> overLimit(long buyerId, String orderId, int stars) {
        return payAmounts
                .lockCustomer(buyerId)
                .flatMap(locked -> Panache.getSession())
                .flatMap(session -> session.createNativeQuery(STANDING, Object[].class)
                        .setParameter(1, buyerId)
                        .setParameter(2, orderId)
                        .getSingleResult())
                .map(row -> {
                    boolean trusted = Boolean.TRUE.equals(row[0]);
                    long committed = ((Number) row[1]).longValue();
                    return !trusted && committed + stars > config.dailyLimit()
                            ? Optional.of(committed)
                            : Optional.<Long>empty();
                });
    }
}
