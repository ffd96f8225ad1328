package io.premiumbot.worker.referrals;

import java.math.BigDecimal;
import java.util.List;

import org.jboss.logging.Logger;

import io.premiumbot.model.i18n.Texts;
import io.premiumbot.model.ledger.Ledger;
import io.premiumbot.model.ledger.LedgerKeys;
import io.premiumbot.model.ledger.LedgerReason;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.notify.CustomerNotificationOutbox;
import io.premiumbot.worker.notify.NotificationSender;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.vertx.SafeVertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Settles what referred customers' delivered orders owe their referrers ({@code referral_rewards}, written by the
 * transaction that delivered the order): the referrer's wallet is credited their share of what was paid, with a
 * {@code REFERRAL} ledger entry keyed by the order (so once, whichever replica or retry settles it), within their monthly
 * cap, and they are told — the credit, the row's settlement and the notice in one transaction. Replicas take different
 * rows ({@code FOR UPDATE SKIP LOCKED}); the referrer's row lock keeps two settlements from both fitting under the cap.
 */
@ApplicationScoped
public class PayReferralRewards {

    private static final Logger LOG = Logger.getLogger(PayReferralRewards.class);
    private static final BigDecimal BASIS_POINTS_PER_PERCENT = BigDecimal.valueOf(100);

    private static final String CLAIM = """
            select order_id, referrer_id, paid_micros from referral_rewards
            where status = 'PENDING' order by created_at limit ?1 for update skip locked""";

    private static final String LOCK_REFERRER = "select language_code from users where telegram_id = ?1 for update";

    private static final String THIS_MONTH = """
            select coalesce(sum(amount_micros), 0) from referral_rewards
            where referrer_id = ?1 and status <> 'PENDING'
              and settled_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'""";

    private static final String SETTLE = """
            update referral_rewards set status = ?2, amount_micros = ?3, settled_at = now()
            where order_id = ?1 and status = 'PENDING'""";

    private final ReferralConfig config;
    private final Ledger ledger;
    private final CustomerNotificationOutbox notices;
    private final NotificationSender sender;
    private final long basisPoints;
    /** The monthly cap in micro-USDT; {@code Long.MAX_VALUE} for none. */
    private final long monthlyCapMicros;

    public PayReferralRewards(
            ReferralConfig config, Ledger ledger, CustomerNotificationOutbox notices, NotificationSender sender) {
        this.config = config;
        this.ledger = ledger;
        this.notices = notices;
        this.sender = sender;
        BigDecimal percent = config.percent();
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(50)) > 0 || percent.scale() > 2) {
            throw new IllegalArgumentException("referrals.percent must be 0 to 50 with at most 2 decimals");
        }
        this.basisPoints = percent.multiply(BASIS_POINTS_PER_PERCENT).longValueExact();
        // a cap that doesn't parse stops the start, not every settlement
        this.monthlyCapMicros =
                config.monthlyCap().map(cap -> Money.parse(cap).micros()).orElse(Long.MAX_VALUE);
    }

    /** A reward owed: the delivered order, its referrer and what the customer paid. */
    record Owed(String orderId, long referrerId, long paidMicros) {}

    @Scheduled(
            identity = "pay-referral-rewards",
            every = "${referrals.every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    @SafeVertxContext
    Uni<Void> onSchedule() {
        return settlePending().replaceWithVoid();
    }

    /** Settles up to one batch of owed rewards; the number settled. */
    public Uni<Integer> settlePending() {
        return Panache.withTransaction(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(CLAIM, Object[].class)
                                .setParameter(1, config.batchSize())
                                .getResultList())
                        .flatMap(rows -> {
                            List<Owed> owed = rows.stream()
                                    .map(row -> new Owed(
                                            (String) row[0],
                                            ((Number) row[1]).longValue(),
                                            ((Number) row[2]).longValue()))
                                    .toList();
                            Uni<Integer> credited = Uni.createFrom().item(0);
                            for (Owed reward : owed) {
                                credited =
                                        credited.flatMap(sum -> settle(reward).map(told -> told ? sum + 1 : sum));
                            }
                            return credited.map(told -> new int[] {owed.size(), told});
                        }))
                .invoke(counts -> {
                    if (counts[1] > 0) {
                        sender.wake();
                    }
                })
                .map(counts -> counts[0]);
    }

    /** True when the referrer was credited (and a notice written). */
    private Uni<Boolean> settle(Owed owed) {
        if (basisPoints == 0) {
            return mark(owed, "OFF", 0).replaceWith(false);
        }
        long share = Math.multiplyExact(owed.paidMicros(), basisPoints) / 10_000;
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(LOCK_REFERRER, String.class)
                        .setParameter(1, owed.referrerId())
                        .getSingleResultOrNull()
                        .flatMap(language -> session.createNativeQuery(THIS_MONTH, Long.class)
                                .setParameter(1, owed.referrerId())
                                .getSingleResult()
                                .flatMap(thisMonth -> {
                                    long room = monthlyCapMicros == Long.MAX_VALUE
                                            ? Long.MAX_VALUE
                                            : monthlyCapMicros - ((Number) thisMonth).longValue();
                                    long amount = Math.max(0, Math.min(share, room));
                                    String status = amount < share ? "CAPPED" : "CREDITED";
                                    if (amount == 0) {
                                        return mark(owed, status, 0).replaceWith(false);
                                    }
                                    return credit(owed, Money.ofMicros(amount), language)
                                            .call(() -> mark(owed, status, amount))
                                            .replaceWith(true);
                                })));
    }

    private Uni<Void> credit(Owed owed, Money amount, String language) {
        return ledger.credit(
                        owed.referrerId(),
                        amount,
                        LedgerReason.REFERRAL,
                        owed.orderId(),
                        LedgerKeys.referral(owed.orderId()))
                .call(change -> notices.addInSession(
                        "referral:" + owed.orderId(),
                        owed.referrerId(),
                        "referral",
                        Texts.of("notify.texts", language)
                                .get("referral", amount, Money.ofMicros(change.entry().balanceAfterMicros))))
                .invoke(change -> LOG.infof(
                        "event=referral_credited orderId=%s referrerId=%d amount=%s",
                        owed.orderId(), owed.referrerId(), amount.plain()))
                .replaceWithVoid();
    }

    private static Uni<Void> mark(Owed owed, String status, long amountMicros) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(SETTLE)
                        .setParameter(1, owed.orderId())
                        .setParameter(2, status)
                        .setParameter(3, amountMicros)
                        .executeUpdate())
                .replaceWithVoid();
    }
}
