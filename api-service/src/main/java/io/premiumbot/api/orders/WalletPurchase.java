package io.premiumbot.api.orders;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.api.support.SqlTransaction;
import io.premiumbot.model.ledger.LedgerKeys;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.OrderIds;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.PayMethod;
import io.premiumbot.model.treasury.StarTreasuryConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.DatabaseException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A purchase paid from the wallet, the common case of a promotion ({@code /buy N} for oneself, a pay-from-wallet
 * button, a gift's Confirm), as the durable statements it needs and nothing else, on the SQL client in one
 * transaction of <b>two round trips</b>, each a pipelined batch around one function of migration V26:
 *
 * <ol>
 *   <li>{@code BEGIN} and {@code wallet_purchase_open} ({@link #OPEN}): claim the update_id, register the buyer and
 *       lock their row, reading their balance, today's price and whether a promo code is remembered for them; for a
 *       button, use the confirmation up (the price it showed, once).
 *   <li>Decided from that answer in Java (the price, the balance after, the reply), then {@code wallet_purchase_pay}
 *       ({@link #PAY}: the order, inserted PAID with the debit and its ledger entry, the reply kept for a replay,
 *       and last the Star treasury's cover check) and {@code COMMIT}. The function raises on anything that
 *       isn't what batch 1 promised and when the Stars don't cover the gift, so the pipelined {@code COMMIT} then ends
 *       a failed transaction (PostgreSQL answers it with ROLLBACK): no round trip between the treasury's lock and the
 *       commit.
 * </ol>
 *
 * <p>The money rules are the general path's ({@link OrderService}, {@code Wallet}, {@code Ledger}), and PostgreSQL
 * still guards them: the balance can't go below zero (the debit's condition and a CHECK), the ledger entry must
 * continue the buyer's chain and the balance must equal it at commit (V6 triggers), a confirmation buys once (its
 * conditional update and the unique {@code orders.confirmation_id}), an update_id is claimed once. Anything this path
 * does not cover — a replay, a remembered promo code or a confirmation with one, a wallet that doesn't cover the price,
 * a confirmation that is used, cancelled, expired or not this buyer's, Stars that don't cover the gift — is rolled back
 * untouched and answered by the general path ({@link OrderService} in the update's Hibernate transaction), which tells
 * the buyer why.
 */
@ApplicationScoped
public class WalletPurchase {

    private static final Logger LOG = Logger.getLogger(WalletPurchase.class);

    /** Batch 1 (V26): claimed, balance, list price, promo remembered, confirmed, its price, recipient, promo code. */
    static final String OPEN = "select * from wallet_purchase_open($1, $2, $3, $4, $5, $6, $7, $8, $9)";

    /** Batch 2 (V26): everything the purchase writes, raising {@link #SOLD_OUT} or {@link #BROKEN} instead. */
    static final String PAY = "select wallet_purchase_pay($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
            + "$14, $15, $16, $17)";

    /** SQLSTATE of {@code wallet_purchase_pay}: the bot's Stars don't cover the gift. */
    static final String SOLD_OUT = "PB001";

    /** SQLSTATE of {@code wallet_purchase_pay}: a write its locked balance or fresh order promised did not happen. */
    static final String BROKEN = "PB002";

    /**
     * Who buys what for whom. {@code confirmationId} null: {@code /buy N} typed for oneself, at today's price;
     * otherwise the button of that confirmation ({@code byUsername}: a gift's Confirm), at the price it showed.
     */
    public record Request(
            long updateId,
            long buyerId,
            String username,
            String firstName,
            String languageCode,
            Months months,
            long recipientId,
            Long confirmationId,
            boolean byUsername) {}

    private record Terms(Money price, Money balance, String recipientUsername) {}

    private final Pool pool;
    private final ApiConfig.Payments payments;
    private final StarTreasuryConfig treasury;
    private final ApiConfig.StarHolds holds;

    public WalletPurchase(
            Pool pool, ApiConfig.Payments payments, StarTreasuryConfig treasury, ApiConfig.StarHolds holds) {
        this.pool = pool;
        this.payments = payments;
        this.treasury = treasury;
        this.holds = holds;
    }

    /**
     * Pays the order from the wallet and keeps {@code kept} of the answer as the update's reply, committed together;
     * the answer, or empty when nothing was written (see the class comment: the general path takes it then).
     */
    @WithSpan("WalletPurchase.pay")
    public <A> Uni<Optional<A>> pay(
            Request request, Function<Purchase.PaidFromWallet, A> answer, Function<A, String> kept) {
        return SqlTransaction.on(pool, connection -> inTransaction(connection, request, answer, kept));
    }

    private <A> Uni<Optional<A>> inTransaction(
            SqlConnection connection,
            Request request,
            Function<Purchase.PaidFromWallet, A> answer,
            Function<A, String> kept) {
        Uni<RowSet<Row>> begin = connection.query("begin").execute();
        Uni<RowSet<Row>> opened = connection.preparedQuery(OPEN).execute(Tuple.from(new Object[] {
            request.updateId(),
            request.buyerId(),
            request.username(),
            SqlTransaction.truncate(request.firstName(), 256),
            SqlTransaction.truncate(request.languageCode(), 16),
            request.months().count(),
            request.confirmationId(),
            request.recipientId(),
            request.byUsername()
        }));
        return Uni.combine()
                .all()
                .unis(begin, opened)
                .with((begun, open) -> terms(request, open.iterator().next()))
                .flatMap(terms -> terms.isEmpty()
                        ? SqlTransaction.rollback(connection).replaceWith(Optional.<A>empty())
                        : pay(connection, request, terms.get(), answer, kept));
    }

    /**
     * What to charge and whom the order names, from {@code wallet_purchase_open}'s answer; empty when this path doesn't
     * cover the purchase.
     */
    private static Optional<Terms> terms(Request request, Row open) {
        if (!open.getBoolean(0)) {
            return Optional.empty(); // a replay: the general path answers it with the first answer
        }
        Money balance = Money.ofMicros(open.getLong(1));
        Money price;
        String recipientUsername;
        if (request.confirmationId() == null) {
            if (open.getLong(2) == null || open.getBoolean(3)) {
                return Optional.empty();
            }
            price = Money.ofMicros(open.getLong(2));
            recipientUsername = null;
        } else {
            if (!open.getBoolean(4) || open.getLong(7) != null) {
                return Optional.empty();
            }
            price = Money.ofMicros(open.getLong(5));
            recipientUsername = request.recipientId() == request.buyerId() ? null : open.getString(6);
        }
        return balance.covers(price) ? Optional.of(new Terms(price, balance, recipientUsername)) : Optional.empty();
    }

    private <A> Uni<Optional<A>> pay(
            SqlConnection connection,
            Request request,
            Terms terms,
            Function<Purchase.PaidFromWallet, A> answer,
            Function<A, String> kept) {
        Instant now = Instant.now();
        Order order = new Order();
        order.id = OrderIds.next();
        order.buyerId = request.buyerId();
        order.recipientId = request.recipientId();
        order.recipientUsername = terms.recipientUsername();
        order.months = request.months().count();
        order.starCount = request.months().stars();
        order.priceMicros = terms.price().micros();
        order.status = OrderStatus.PAID;
        order.payMethod = PayMethod.WALLET;
        order.createdAt = now;
        order.updatedAt = now;
        order.paidAt = now;
        order.expiresAt = now.plus(payments.requestTtl());
        Money balanceAfter = terms.balance().minus(terms.price());
        A answered = answer.apply(new Purchase.PaidFromWallet(order, balanceAfter));
        Uni<Boolean> paid = connection
                .preparedQuery(PAY)
                .execute(Tuple.from(new Object[] {
                    request.updateId(),
                    order.id,
                    order.buyerId,
                    order.recipientId,
                    order.recipientUsername,
                    order.months,
                    order.starCount,
                    order.priceMicros,
                    balanceAfter.micros(),
                    OffsetDateTime.ofInstant(order.expiresAt, ZoneOffset.UTC),
                    OffsetDateTime.ofInstant(now, ZoneOffset.UTC),
                    request.confirmationId(),
                    LedgerKeys.orderPayment(order.id),
                    kept.apply(answered),
                    treasury.safetyMargin(),
                    holds.perCustomer(),
                    holds.sharePercent()
                }))
                .replaceWith(Boolean.TRUE)
                // sold out: the function raised, so the COMMIT behind it ended the transaction with a rollback
                .onFailure(failure -> failure instanceof DatabaseException db && SOLD_OUT.equals(db.getSqlState()))
                .recoverWithItem(Boolean.FALSE);
        // sent in the same flush as the call: PostgreSQL commits only if the call raised nothing, else rolls back
        Uni<RowSet<Row>> ended = connection.query("commit").execute();
        return Uni.combine().all().unis(paid, ended).with((coveredByStars, commit) -> {
            if (!coveredByStars) {
                return Optional.<A>empty();
            }
            LOG.infof(
                    "event=order_paid orderId=%s method=WALLET months=%d price=%s",
                    order.id, order.months, terms.price().plain());
            return Optional.of(answered);
        });
    }
}
