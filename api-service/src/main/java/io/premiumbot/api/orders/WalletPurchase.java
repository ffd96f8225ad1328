package io.premiumbot.api.orders;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.model.ledger.LedgerKeys;
import io.premiumbot.model.ledger.LedgerReason;
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
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A purchase paid from the wallet, the common case of a promotion ({@code /buy N} for oneself, a pay-from-wallet
 * button, a gift's Confirm), as the durable statements it needs and nothing else, on the SQL client in one
 * transaction of <b>three round trips</b>, each a pipelined batch:
 *
 * <ol>
 *   <li>{@code BEGIN}; claim the update_id ({@link #CLAIM}); register the buyer and lock their row, reading their
 *       balance, today's price and whether a promo code is remembered for them ({@link #BUYER}); for a button, use the
 *       confirmation up ({@link #USE_CONFIRMATION}: the price it showed, once).
 *   <li>Decided from those answers in Java: the order ({@link #ORDER}), the debit with its ledger entry
 *       ({@link #DEBIT}), PENDING_PAYMENT → PAID ({@link #MARK_PAID}), the bot's Stars cover the gift ({@link #COVER},
 *       the Star treasury's own check, last so its row lock is held the shortest), the reply kept for a replay
 *       ({@link #KEEP_REPLY}). A statement the purchase must also make joins this batch.
 *   <li>{@code COMMIT}, or {@code ROLLBACK} when an answer of batch 2 is not what batch 1 promised, or the Stars no
 *       longer cover the gift (the general path then refuses the purchase as sold out, nothing charged).
 * </ol>
 *
 * <p>The money rules are the general path's ({@link OrderService}, {@code Wallet}, {@code Ledger}), and PostgreSQL
 * still guards them: the balance can't go below zero (the debit's condition and a CHECK), the ledger entry must
 * continue the buyer's chain and the balance must equal it at commit (V6 triggers), a confirmation buys once (its
 * conditional update and the unique {@code orders.confirmation_id}), an update_id is claimed once. Anything this path
 * does not cover — a replay, a remembered promo code or a confirmation with one, a wallet that doesn't cover the price,
 * a confirmation that is used, cancelled, expired or not this buyer's — is rolled back untouched and answered by the
 * general path ({@link OrderService} in the update's Hibernate transaction), which tells the buyer why.
 */
@ApplicationScoped
public class WalletPurchase {

    private static final Logger LOG = Logger.getLogger(WalletPurchase.class);

    static final String CLAIM = """
            insert into processed_updates (update_id, received_at) values ($1, now()) on conflict do nothing""";

    /** The upsert's row lock serialises the buyer's purchases until commit, as {@code PayAmounts.lockCustomer}. */
    static final String BUYER = """
            insert into users (telegram_id, username, first_name, language_code, balance_micros, created_at, updated_at)
            values ($1, $2, $3, $4, 0, now(), now())
            on conflict (telegram_id) do update
               set username = excluded.username, first_name = excluded.first_name,
                   language_code = excluded.language_code, updated_at = now(), bot_blocked_at = null
            returning balance_micros,
                      (select p.price_micros from prices p where p.months = $5),
                      exists (select 1 from promo_applied a where a.customer_id = $1)""";

    /** {@code Confirmations.USE}: the price shown, once, for this buyer, months and recipient. */
    static final String USE_CONFIRMATION = """
            update purchase_confirmations set used_at = now()
            where id = $1 and buyer_id = $2 and months = $3 and recipient_id = $4 and by_username = $5
              and used_at is null and cancelled_at is null and expires_at > now()
            returning price_micros, recipient_username, promo_code_id""";

    static final String ORDER = """
            insert into orders (id, buyer_id, recipient_id, recipient_username, months, star_count, price_micros,
                                discount_micros, discount_stars, status, expires_at, created_at, updated_at,
                                confirmation_id)
            values ($1, $2, $3, $4, $5, $6, $7, 0, 0, $11, $8, $9, $9, $10)""";

    /** {@code Ledger}'s balance change and its entry as one statement; the entry's triggers check the chain. */
    static final String DEBIT = """
            with moved as (
                update users set balance_micros = balance_micros - $2, updated_at = now()
                where telegram_id = $1 and balance_micros >= $2
                returning balance_micros)
            insert into ledger_entries (user_id, amount_micros, balance_after_micros, reason, reference,
                                        idempotency_key, created_at)
            select $1, -$2, balance_micros, $5, $3, $4, now() from moved
            returning balance_after_micros""";

    /** {@code OrderTransitions.pay}: PENDING_PAYMENT → PAID, conditional. */
    static final String MARK_PAID = """
            update orders set status = $3, pay_method = $4, paid_at = $2, updated_at = $2
            where id = $1 and status = $5""";

    /** {@code StarSupply.cover}: the paid order's gift within balance − reserved − margin, else {@code SOLD_OUT}. */
    static final String COVER = "select star_treasury_take($1, $2, $3, $4)";

    static final String KEEP_REPLY = "update processed_updates set reply = $2 where update_id = $1";

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
        // the transaction is opened by a plain BEGIN (so it pipelines with the first statements): the connection goes
        // back to the pool only after COMMIT or ROLLBACK, also when the caller went away (cancelled) half-way
        return pool.getConnection()
                .flatMap(connection -> inTransaction(connection, request, answer, kept)
                        .onTermination()
                        .call((paid, failure, cancelled) -> (failure != null || cancelled
                                        ? rollback(connection)
                                        : Uni.createFrom().voidItem())
                                .eventually(connection::close)));
    }

    private <A> Uni<Optional<A>> inTransaction(
            SqlConnection connection,
            Request request,
            Function<Purchase.PaidFromWallet, A> answer,
            Function<A, String> kept) {
        Uni<RowSet<Row>> begin = connection.query("begin").execute();
        Uni<RowSet<Row>> claim = connection.preparedQuery(CLAIM).execute(Tuple.of(request.updateId()));
        Uni<RowSet<Row>> buyer = connection
                .preparedQuery(BUYER)
                .execute(Tuple.of(
                        request.buyerId(),
                        request.username(),
                        truncate(request.firstName(), 256),
                        truncate(request.languageCode(), 16),
                        request.months().count()));
        Uni<RowSet<Row>> confirmation = request.confirmationId() == null
                ? Uni.createFrom().nullItem()
                : connection
                        .preparedQuery(USE_CONFIRMATION)
                        .execute(Tuple.of(
                                request.confirmationId(),
                                request.buyerId(),
                                request.months().count(),
                                request.recipientId(),
                                request.byUsername()));
        return Uni.combine()
                .all()
                .unis(begin, claim, buyer, confirmation)
                .with((begun, claimed, registered, used) -> claimed.rowCount() == 1
                        ? terms(request, registered.iterator().next(), used)
                        : Optional.<Terms>empty())
                .flatMap(terms -> terms.isEmpty()
                        ? rollback(connection).replaceWith(Optional.<A>empty())
                        : pay(connection, request, terms.get(), answer, kept));
    }

    /** What to charge and whom the order names; empty when this path doesn't cover the purchase. */
    private static Optional<Terms> terms(Request request, Row buyer, RowSet<Row> confirmation) {
        Money balance = Money.ofMicros(buyer.getLong(0));
        Money price;
        String recipientUsername;
        if (request.confirmationId() == null) {
            if (buyer.getLong(1) == null || buyer.getBoolean(2)) {
                return Optional.empty();
            }
            price = Money.ofMicros(buyer.getLong(1));
            recipientUsername = null;
        } else {
            if (confirmation.rowCount() != 1) {
                return Optional.empty();
            }
            Row used = confirmation.iterator().next();
            if (used.getLong(2) != null) {
                return Optional.empty();
            }
            price = Money.ofMicros(used.getLong(0));
            recipientUsername = request.recipientId() == request.buyerId() ? null : used.getString(1);
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
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        Uni<RowSet<Row>> created = connection.preparedQuery(ORDER).execute(Tuple.from(new Object[] {
            order.id,
            order.buyerId,
            order.recipientId,
            order.recipientUsername,
            order.months,
            order.starCount,
            order.priceMicros,
            OffsetDateTime.ofInstant(order.expiresAt, ZoneOffset.UTC),
            at,
            request.confirmationId(),
            OrderStatus.PENDING_PAYMENT.name()
        }));
        Uni<RowSet<Row>> debited = connection
                .preparedQuery(DEBIT)
                .execute(Tuple.of(
                        order.buyerId,
                        order.priceMicros,
                        order.id,
                        LedgerKeys.orderPayment(order.id),
                        LedgerReason.ORDER_PAYMENT.name()));
        Uni<RowSet<Row>> paid = connection
                .preparedQuery(MARK_PAID)
                .execute(Tuple.of(
                        order.id,
                        at,
                        OrderStatus.PAID.name(),
                        PayMethod.WALLET.name(),
                        OrderStatus.PENDING_PAYMENT.name()));
        Uni<RowSet<Row>> covered = connection
                .preparedQuery(COVER)
                .execute(Tuple.of(order.id, treasury.safetyMargin(), holds.perCustomer(), holds.sharePercent()));
        Uni<RowSet<Row>> replied =
                connection.preparedQuery(KEEP_REPLY).execute(Tuple.of(request.updateId(), kept.apply(answered)));
        return Uni.combine()
                .all()
                .unis(created, debited, paid, covered, replied)
                .with((inserted, debit, moved, cover, reply) -> {
                    // the buyer's row is locked since batch 1: anything else means a rule broke, and nothing commits
                    if (debit.rowCount() != 1
                            || debit.iterator().next().getLong(0) != balanceAfter.micros()
                            || moved.rowCount() != 1
                            || reply.rowCount() != 1) {
                        throw new IllegalStateException("wallet purchase of order " + order.id
                                + " did not write what its locked balance promised");
                    }
                    return !"SOLD_OUT".equals(cover.iterator().next().getString(0));
                })
                .flatMap(coveredByStars -> coveredByStars
                        ? connection
                                .query("commit")
                                .execute()
                                .invoke(() -> LOG.infof(
                                        "event=order_paid orderId=%s method=WALLET months=%d price=%s",
                                        order.id, order.months, terms.price().plain()))
                                .replaceWith(Optional.of(answered))
                        : rollback(connection).replaceWith(Optional.<A>empty()));
    }

    private static Uni<Void> rollback(SqlConnection connection) {
        return connection
                .query("rollback")
                .execute()
                .replaceWithVoid()
                .onFailure()
                .invoke(failure -> LOG.warnf(
                        "event=wallet_purchase_rollback_failed cause=%s",
                        failure.getClass().getSimpleName()))
                .onFailure()
                .recoverWithNull();
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
