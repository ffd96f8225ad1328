package io.premiumbot.api.treasury;

import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.premiumbot.api.audit.AuditLog;
import io.premiumbot.api.audit.Operator;
import io.premiumbot.api.support.ConflictException;
import io.premiumbot.api.support.NotFoundException;
import io.premiumbot.model.treasury.StarTransactionClass;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The bot's Star transactions as the worker imported and classified them ({@code star_transactions}), for the
 * operator: newest first, or only the unexplained ones still waiting for an operator; and the operator's
 * acknowledgement of an unexplained one (audited, one conditional update), which takes it out of the alert.
 */
@ApplicationScoped
public class StarTransactions {

    private static final Logger LOG = Logger.getLogger(StarTransactions.class);

    private static final String COLUMNS = """
            id, transaction_id, direction, stars, nanostars, partner, transaction_type, partner_user_id,
            cast(extract(epoch from made_at) * 1000 as bigint), class, order_id, top_up_id, acknowledged_by,
            cast(extract(epoch from acknowledged_at) * 1000 as bigint), acknowledgement""";

    private static final String EXPLAINED = "('CUSTOMER_PAYMENT', 'TOP_UP', 'GIFT', 'REFUND')";

    private static final String LATEST =
            "select " + COLUMNS + " from star_transactions order by made_at desc, id desc limit ?1";

    /** Served by the partial index star_transactions_unexplained. */
    private static final String WAITING = "select " + COLUMNS + " from star_transactions"
            + " where acknowledged_at is null and class not in " + EXPLAINED + " order by id desc limit ?1";

    private static final String ACKNOWLEDGE = "update star_transactions set acknowledged_by = ?2,"
            + " acknowledged_at = now(), acknowledgement = ?3"
            + " where id = ?1 and acknowledged_at is null and class not in " + EXPLAINED;

    private static final String WHY_NOT = "select class, acknowledged_by from star_transactions where id = ?1";

    private final AuditLog audit;

    public StarTransactions(AuditLog audit) {
        this.audit = audit;
    }

    /** One imported transaction; {@code explained} when our own records account for it. */
    public record Listed(
            long id,
            String transactionId,
            String direction,
            long stars,
            int nanostars,
            String partner,
            String transactionType,
            Long userId,
            Instant madeAt,
            StarTransactionClass kind,
            boolean explained,
            String orderId,
            Long topUpId,
            String acknowledgedBy,
            Instant acknowledgedAt,
            String acknowledgement) {

        /** Signed whole Stars: positive came in, negative went out. */
        public long signedStars() {
            return "OUT".equals(direction) ? -stars : stars;
        }

        /** Unexplained and no operator has acknowledged it yet. */
        public boolean waiting() {
            return !explained && acknowledgedAt == null;
        }

        static Listed of(Object[] r) {
            StarTransactionClass kind = StarTransactionClass.valueOf((String) r[9]);
            return new Listed(
                    ((Number) r[0]).longValue(),
                    (String) r[1],
                    (String) r[2],
                    ((Number) r[3]).longValue(),
                    ((Number) r[4]).intValue(),
                    (String) r[5],
                    (String) r[6],
                    r[7] == null ? null : ((Number) r[7]).longValue(),
                    StarTopUp.instant(r[8]),
                    kind,
                    kind.explained(),
                    (String) r[10],
                    r[11] == null ? null : ((Number) r[11]).longValue(),
                    (String) r[12],
                    StarTopUp.instant(r[13]),
                    (String) r[14]);
        }
    }

    /** The latest imported transactions ({@code waitingOnly}: the unexplained ones nobody acknowledged), newest first. */
    public Uni<List<Listed>> list(boolean waitingOnly, int limit) {
        return Panache.withSession(() -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery(waitingOnly ? WAITING : LATEST, Object[].class)
                        .setParameter(1, limit)
                        .getResultList())
                .map(rows -> rows.stream().map(Listed::of).toList()));
    }

    /**
     * The operator has looked at an unexplained movement: it leaves the gauge and the alert. 404 for an unknown id,
     * 409 for one our records explain or someone acknowledged already.
     */
    public Uni<Void> acknowledge(long id, String note, Operator by) {
        String why = note == null ? "" : note.strip();
        if (why.isEmpty() || why.length() > 500) {
            return Uni.createFrom()
                    .failure(new IllegalArgumentException(
                            "note is required (1-500 characters): say what the movement was"));
        }
        return Panache.withTransaction(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(ACKNOWLEDGE)
                                .setParameter(1, id)
                                .setParameter(2, by.name())
                                .setParameter(3, why)
                                .executeUpdate()
                                .flatMap(updated -> updated == 1
                                        ? audit.record(
                                                "stars.transaction_acknowledged", "star-transaction:" + id, by, why)
                                        : session.createNativeQuery(WHY_NOT, Object[].class)
                                                .setParameter(1, id)
                                                .getSingleResultOrNull()
                                                .<Void>map(row -> {
                                                    if (row == null) {
                                                        throw new NotFoundException("no Star transaction " + id);
                                                    }
                                                    throw new ConflictException(
                                                            row[1] != null
                                                                    ? "Star transaction " + id + " was acknowledged by "
                                                                            + row[1]
                                                                    : "Star transaction " + id
                                                                            + " is explained by our records (" + row[0]
                                                                            + "): nothing to acknowledge");
                                                }))))
                .invoke(() -> LOG.infof("event=star_transaction_acknowledged id=%d operator=%s", id, by.name()));
    }
}
