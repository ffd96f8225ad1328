package io.premiumbot.api.payments;

import java.util.List;

import org.jboss.logging.Logger;

import io.premiumbot.api.audit.AuditLog;
import io.premiumbot.api.audit.Operator;
import io.premiumbot.api.support.ConflictException;
import io.premiumbot.api.wallet.CreditNotices;
import io.premiumbot.model.ledger.Ledger;
import io.premiumbot.model.ledger.LedgerKeys;
import io.premiumbot.model.ledger.LedgerReason;
import io.premiumbot.model.ledger.UnknownUserException;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.payment.Payment;
import io.premiumbot.model.user.User;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Incoming money nobody could be matched to, and the operator's answer: assign it to a user. The move from
 * UNMATCHED is one conditional update, and the credit is keyed like the poller's ({@code trc20:<event id>}, one per
 * Transfer event: a batch payout's transaction carries several), so an assignment asked twice, or racing the poller,
 * credits once, and assigning one event of a transaction never collides with another's credit.
 */
@ApplicationScoped
public class UnmatchedPayments {

    private static final Logger LOG = Logger.getLogger(UnmatchedPayments.class);

    private static final String ASSIGN = """
            update payments set status = 'CREDITED', user_id = ?2 where id = ?1 and status = 'UNMATCHED'""";

    private final Ledger ledger;
    private final AuditLog audit;
    private final CreditNotices notices;

    public UnmatchedPayments(Ledger ledger, AuditLog audit, CreditNotices notices) {
        this.ledger = ledger;
        this.audit = audit;
        this.notices = notices;
    }

    /** Transfers nobody could be matched to, newest first. */
    @WithSession
    public Uni<List<Payment>> list(int limit) {
        return Payment.<Payment>find("status", Sort.descending("createdAt"), Payment.Status.UNMATCHED)
                .page(Page.ofSize(limit))
                .list();
    }

    /** UNMATCHED → CREDITED to {@code telegramId}'s wallet; the payment as it is now. */
    @WithTransaction
    public Uni<Payment> assign(long paymentId, long telegramId, Operator operator) {
        return Panache.getSession()
                .flatMap(session -> session.find(Payment.class, paymentId)
                        .onItem()
                        .ifNull()
                        .failWith(() -> new PaymentNotFoundException(paymentId))
                        .invoke(session::detach))
                .call(payment -> User.<User>findById(telegramId)
                        .onItem()
                        .ifNull()
                        .failWith(() -> new UnknownUserException(telegramId)))
                .call(payment -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(ASSIGN)
                                .setParameter(1, paymentId)
                                .setParameter(2, telegramId)
                                .executeUpdate())
                        .flatMap(updated -> updated == 1
                                ? Uni.createFrom().voidItem()
                                : Uni.createFrom()
                                        .failure(new ConflictException("payment " + paymentId
                                                + " is not UNMATCHED: it was credited already"))))
                .call(payment -> ledger.credit(
                                telegramId,
                                Money.ofMicros(payment.amountMicros),
                                LedgerReason.DEPOSIT,
                                reference(payment),
                                creditKey(payment))
                        .flatMap(change -> notices.credited(
                                telegramId,
                                CreditNotices.Kind.CREDIT_ASSIGNED,
                                creditKey(payment),
                                Money.ofMicros(payment.amountMicros),
                                Money.ofMicros(change.entry().balanceAfterMicros))))
                .call(payment -> audit.record(
                        "payment.assign",
                        "payment:" + paymentId,
                        operator,
                        "userId=" + telegramId + " amount="
                                + Money.ofMicros(payment.amountMicros).plain() + " tx=" + payment.externalId))
                .invoke(payment -> {
                    payment.status = Payment.Status.CREDITED;
                    payment.userId = telegramId;
                    LOG.infof(
                            "event=payment_assigned paymentId=%d userId=%d amount=%s by=operator",
                            paymentId,
                            telegramId,
                            Money.ofMicros(payment.amountMicros).plain());
                });
    }

    /** What the ledger entry names, as the poller's does: the transaction to look up on chain. */
    static String reference(Payment payment) {
        int eventPart = payment.externalId.indexOf(':');
        return "TRC20".equals(payment.provider) && eventPart > 0
                ? payment.externalId.substring(0, eventPart)
                : payment.externalId;
    }

    /** The key the poller would have credited it with: one credit per transfer event, whoever makes it. */
    static String creditKey(Payment payment) {
        return LedgerKeys.deposit(payment.provider, payment.externalId);
    }
}
