package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import io.premiumbot.worker.delivery.GiftMatching.Claimant;
import io.premiumbot.worker.delivery.GiftMatching.Decision;
import io.premiumbot.worker.delivery.GiftMatching.Gift;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * After a complete read of the Star transactions, under the lease: for every recipient and month count with an
 * attempt still waiting for proof, the attempts that may have made a gift and the gifts nobody is proven by yet go to
 * {@link GiftMatching}; what it decides is written in the same transaction, each gift to its attempt and the attempt
 * naming it (PostgreSQL keeps the pair one-to-one), or the attempt marked as having no gift. Attempt times are the
 * database's clock, like the read's; only Telegram's gift dates get {@link StarGifts#CLOCK_SLACK}.
 */
@ApplicationScoped
public class GiftAttribution {

    private static final Logger LOG = Logger.getLogger(GiftAttribution.class);

    /** An attempt that may have made a gift nobody matched yet, and whose order still waits on it. */
    static final String AWAITING = """
            a.gift_transaction_id is null and a.no_gift_at is null and a.outcome is distinct from 'DELIVERED'
              and coalesce(a.outcome, '') not in ('NOT_SENT', 'RATE_LIMITED', 'UNAVAILABLE', 'BALANCE_TOO_LOW', 'REJECTED')
              and coalesce(a.settlement, '') not in ('FOUND', 'ABSENT', 'NOT_SENT')""";

    /** Recipients and months with an attempt still waiting for proof: the settlement's groups. */
    private static final String WAITING_GROUPS = """
            select distinct o.recipient_id, o.months from delivery_attempts a join orders o on o.id = a.order_id
            where
            """ + AWAITING + """

              and o.status in ('DELIVERING', 'DELIVERY_UNKNOWN')
            limit ?1""";

    /**
     * Recipients and months with a listed gift nobody is proven by yet and a delivered attempt naming no gift: the
     * treasury's groups, so each gift of a delivered order is explained by its own attempt.
     */
    private static final String DELIVERED_GROUPS = """
            select distinct g.user_id as recipient_id, g.months from star_gifts g
            where g.attempt_id is null and exists (
                select 1 from orders o join delivery_attempts a on a.order_id = o.id
                where o.recipient_id = g.user_id and o.months = g.months and a.outcome = 'DELIVERED'
                  and a.gift_transaction_id is null and a.no_gift_at is null)
            limit ?1""";

    /** Every attempt of the groups that may claim a gift: a group is always decided whole. */
    private static String claimants(String groups) {
        return "with waiting as (" + groups + """
                )
                select a.id, o.recipient_id, o.months, coalesce(a.outcome = 'DELIVERED', false),
                    cast(extract(epoch from coalesce(a.sent_at, a.started_at)) * 1000 as bigint),
                    a.sent_at is null and a.finished_at is null and a.outcome is null,
                    cast(extract(epoch from a.finished_at) * 1000 as bigint),
                    cast(extract(epoch from a.caught_up_at) * 1000 as bigint)
                from waiting w join orders o on o.recipient_id = w.recipient_id and o.months = w.months
                join delivery_attempts a on a.order_id = o.id
                where a.gift_transaction_id is null and a.no_gift_at is null
                  and coalesce(a.outcome, '') not in ('NOT_SENT', 'RATE_LIMITED', 'UNAVAILABLE', 'BALANCE_TOO_LOW', 'REJECTED')
                  and coalesce(a.settlement, '') not in ('FOUND', 'ABSENT', 'NOT_SENT')
                  and (a.outcome = 'DELIVERED' or o.status in ('DELIVERING', 'DELIVERY_UNKNOWN'))""";
    }

    private static final String CLAIMANTS = claimants(WAITING_GROUPS);
    private static final String DELIVERED_CLAIMANTS = claimants(DELIVERED_GROUPS);

    private static final String UNATTRIBUTED = """
            select transaction_id, cast(extract(epoch from made_at) * 1000 as bigint) from star_gifts
            where attempt_id is null and user_id = ?1 and months = ?2 and made_at >= ?3""";

    private static final String GIFT_TO_ATTEMPT =
            "update star_gifts set attempt_id = ?2 where transaction_id = ?1 and attempt_id is null";

    private static final String ATTEMPT_NAMES_GIFT = """
            update delivery_attempts set gift_transaction_id = ?1
            where id = ?2 and gift_transaction_id is null and no_gift_at is null""";

    private static final String NO_GIFT = """
            update delivery_attempts set no_gift_at = now() where id = ?1 and gift_transaction_id is null and no_gift_at is null""";

    private final Duration visibleAfter;
    private final int batch;

    public GiftAttribution(ReconcileConfig config) {
        this.visibleAfter = config.giftVisibleAfter();
        this.batch = config.batchSize();
    }

    /** A row of {@link #CLAIMANTS}, keyed by recipient and months. */
    private record Row(long recipient, int months, Claimant claimant) {}

    /**
     * Decides what the gifts listed as of {@code listedAt} (database time before the last page was asked for) prove,
     * in {@code session}'s transaction; the number of attempts decided.
     */
    Uni<Integer> attribute(Mutiny.Session session, Instant listedAt) {
        return attribute(session, listedAt, CLAIMANTS);
    }

    /**
     * Like {@link #attribute}, for the gifts of delivered orders no settlement needed: each listed gift is explained
     * by its own attempt (the treasury), by the same rule.
     */
    Uni<Integer> attributeDelivered(Mutiny.Session session, Instant listedAt) {
        return attribute(session, listedAt, DELIVERED_CLAIMANTS);
    }

    private Uni<Integer> attribute(Mutiny.Session session, Instant listedAt, String claimants) {
        return session.createNativeQuery(claimants, Object[].class)
                .setParameter(1, batch)
                .getResultList()
                .map(rows -> rows.stream().map(this::row).toList())
                .flatMap(rows -> {
                    Map<List<Long>, List<Row>> groups = rows.stream()
                            .collect(Collectors.groupingBy(
                                    r -> List.of(r.recipient(), (long) r.months()),
                                    LinkedHashMap::new,
                                    Collectors.toList()));
                    return Multi.createFrom()
                            .iterable(groups.values())
                            .onItem()
                            .transformToUniAndConcatenate(group -> decideGroup(session, group, listedAt))
                            .collect()
                            .with(Collectors.summingInt(Integer::intValue));
                });
    }

    private Uni<Integer> decideGroup(Mutiny.Session session, List<Row> group, Instant listedAt) {
        List<Claimant> claimants = group.stream().map(Row::claimant).toList();
        Instant earliest =
                claimants.stream().map(Claimant::from).min(Instant::compareTo).orElseThrow();
        return session.createNativeQuery(UNATTRIBUTED, Object[].class)
                .setParameter(1, group.get(0).recipient())
                .setParameter(2, group.get(0).months())
                .setParameter(3, earliest)
                .getResultList()
                .map(rows -> rows.stream()
                        .map(r -> new Gift((String) r[0], DeliveryAttempts.instant(r[1])))
                        .toList())
                .flatMap(gifts -> write(session, claimants, GiftMatching.decide(claimants, gifts, listedAt)));
    }

    private Uni<Integer> write(Mutiny.Session session, List<Claimant> claimants, Decision decision) {
        Set<Long> answeredTrue = claimants.stream()
                .filter(Claimant::answeredTrue)
                .map(Claimant::attemptId)
                .collect(Collectors.toSet());
        List<Uni<Void>> steps = new ArrayList<>();
        decision.proven()
                .forEach((attemptId, transactionId) -> steps.add(expectOne(session.createNativeQuery(GIFT_TO_ATTEMPT)
                                .setParameter(1, transactionId)
                                .setParameter(2, attemptId)
                                .executeUpdate())
                        .chain(() -> expectOne(session.createNativeQuery(ATTEMPT_NAMES_GIFT)
                                .setParameter(1, transactionId)
                                .setParameter(2, attemptId)
                                .executeUpdate()))));
        for (long attemptId : decision.noGift()) {
            if (answeredTrue.contains(attemptId)) {
                // Telegram answered true, yet its list lacks the gift: nothing is decided from that, an operator looks
                LOG.errorf("event=star_gift_missing_for_delivered_attempt attemptId=%d", attemptId);
            } else {
                LOG.infof("event=gift_proven_absent attemptId=%d", attemptId);
            }
            steps.add(expectOne(session.createNativeQuery(NO_GIFT)
                    .setParameter(1, attemptId)
                    .executeUpdate()));
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<Void> step : steps) {
            chain = chain.chain(() -> step);
        }
        return chain.replaceWith(decision.proven().size() + decision.noGift().size());
    }

    /** Under the lease nobody else writes these columns: a row not updated means the read is stale, so nothing commits. */
    private static Uni<Void> expectOne(Uni<Integer> update) {
        return update.invoke(count -> {
                    if (count != 1) {
                        throw new IllegalStateException("gift attribution raced another writer; rolled back");
                    }
                })
                .replaceWithVoid();
    }

    private Row row(Object[] r) {
        long attemptId = ((Number) r[0]).longValue();
        boolean answeredTrue = Boolean.TRUE.equals(r[3]);
        Instant start = DeliveryAttempts.instant(r[4]);
        boolean openUnsent = Boolean.TRUE.equals(r[5]);
        Instant finished = DeliveryAttempts.instant(r[6]);
        Instant caughtUp = DeliveryAttempts.instant(r[7]);
        Instant from = start.minus(StarGifts.CLOCK_SLACK);
        Claimant claimant;
        if (answeredTrue) {
            // Telegram made the gift before it answered
            claimant = new Claimant(
                    attemptId, true, from, finished.plus(StarGifts.CLOCK_SLACK), finished.plus(visibleAfter));
        } else if (openUnsent || caughtUp == null) {
            // still in flight, or Telegram may yet process it: it may claim any later gift
            claimant = new Claimant(attemptId, false, from, null, null);
        } else {
            claimant = new Claimant(
                    attemptId, false, from, caughtUp.plus(StarGifts.CLOCK_SLACK), caughtUp.plus(visibleAfter));
        }
        return new Row(((Number) r[1]).longValue(), ((Number) r[2]).intValue(), claimant);
    }
}
