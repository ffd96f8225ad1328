package io.premiumbot.worker.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

import io.premiumbot.model.order.OrderIds;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Payment test data written as api-service writes it (plain JDBC from the test thread): users, orders awaiting
 * an on-chain payment and their unique-amount requests; and readers for what the poller booked.
 */
@ApplicationScoped
public class PaymentFixtures {

    public static final long PRICE_3_MONTHS = 13_990_000L;

    private static final AtomicLong USER_IDS = new AtomicLong(System.currentTimeMillis() * 10 + 5_000_000_000L);

    private final Sql sql;
    private final List<Long> tracked = new CopyOnWriteArrayList<>();

    public PaymentFixtures(DataSource db) {
        this.sql = new Sql(db);
    }

    /** An amount in micro-USDT no other test uses, so matching by amount can't cross tests. */
    public static long uniqueAmount() {
        return ThreadLocalRandom.current().nextLong(1_000_000L, 900_000_000_000L);
    }

    /** A TRON-looking address no other test pays from. */
    public static String payerAddress() {
        return "TPayer" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
    }

    public long user() {
        long id = USER_IDS.incrementAndGet();
        update("insert into users (telegram_id, username) values (?, ?)", id, "payer" + id);
        return id;
    }

    /** A fresh user whose balance {@link #assertEveryTrackedBalanceIsItsLedger()} checks once the test is over. */
    public long trackedUser() {
        long id = user();
        tracked.add(id);
        return id;
    }

    /** Every user handed out by {@link #trackedUser()} since the last call holds exactly the sum of their ledger. */
    public void assertEveryTrackedBalanceIsItsLedger() {
        try {
            for (long user : tracked) {
                assertEquals(ledgerSum(user), balance(user), "ledger sum of user " + user);
            }
        } finally {
            tracked.clear();
        }
    }

    /** A 3-month order for the buyer himself, waiting for {@code payAmount}, with its OPEN request. */
    public PendingOrder pendingOrder(long buyer, long payAmount) {
        String id = OrderIds.next();
        update("""
                insert into orders (id, buyer_id, recipient_id, months, star_count, price_micros, pay_amount_micros, pay_method,
                                    status, expires_at)
                values (?, ?, ?, 3, 1000, ?, ?, 'TRC20', 'PENDING_PAYMENT', now() + interval '30 minutes')""", id, buyer, buyer, PRICE_3_MONTHS, payAmount);
        return new PendingOrder(id, request(buyer, id, payAmount, Duration.ofMinutes(30)));
    }

    /** An OPEN request for {@code amount}; {@code orderId} null for a top-up. */
    public long request(long userId, String orderId, long amount, Duration expiresIn) {
        return number("""
                insert into payment_requests (user_id, order_id, amount_micros, status, expires_at)
                values (?, ?, ?, 'OPEN', now() + make_interval(secs => ?)) returning id""", userId, orderId, amount, (double) expiresIn.toSeconds());
    }

    /**
     * A request of {@code status} made {@code createdAgo} before now and expiring {@code expiresAgo} before now; its
     * hold is the database's default (expiry plus 24 h).
     */
    public long requestBack(
            long userId, String orderId, long amount, String status, Duration createdAgo, Duration expiresAgo) {
        return number(
                """
                insert into payment_requests (user_id, order_id, amount_micros, status, created_at, expires_at)
                values (?, ?, ?, ?, now() - make_interval(secs => ?), now() - make_interval(secs => ?)) returning id""", userId, orderId, amount, status, (double) createdAgo.toSeconds(), (double) expiresAgo.toSeconds());
    }

    /** Moves an order and its request back in time: made {@code createdAgo}, expiring {@code expiresAgo} before now. */
    public void backdate(PendingOrder order, Duration createdAgo, Duration expiresAgo) {
        update(
                "update orders set created_at = now() - make_interval(secs => ?), expires_at = now() - make_interval(secs => ?) where id = ?",
                (double) createdAgo.toSeconds(),
                (double) expiresAgo.toSeconds(),
                order.id());
        update(
                "update payment_requests set created_at = now() - make_interval(secs => ?), expires_at = now() - make_interval(secs => ?) where id = ?",
                (double) createdAgo.toSeconds(),
                (double) expiresAgo.toSeconds(),
                order.requestId());
    }

    public record PendingOrder(String id, long requestId) {}

    public long balance(long userId) {
        return number("select balance_micros from users where telegram_id = ?", userId);
    }

    public List<String> ledger(long userId) {
        return texts(
                "select reason || ' ' || amount_micros || ' ' || idempotency_key from ledger_entries where user_id = ? order by id",
                userId);
    }

    public long ledgerSum(long userId) {
        return number("select coalesce(sum(amount_micros), 0) from ledger_entries where user_id = ?", userId);
    }

    /** How many transfer events of this transaction were recorded. */
    public long payments(String transactionId) {
        return number(
                "select count(*) from payments where provider = 'TRC20' and split_part(external_id, ':', 1) = ?",
                transactionId);
    }

    /** {@code status userId} of the transaction's recorded transfer, e.g. {@code CREDITED 42} or {@code UNMATCHED null}. */
    public String payment(String transactionId) {
        return text(
                "select status || ' ' || coalesce(user_id::text, 'null') from payments where provider = 'TRC20' and split_part(external_id, ':', 1) = ?",
                transactionId);
    }

    /** {@code externalId status userId} of each recorded transfer event of the transaction, in id order. */
    public List<String> paymentEvents(String transactionId) {
        return texts(
                "select external_id || ' ' || status || ' ' || coalesce(user_id::text, 'null') from payments where provider = 'TRC20' and split_part(external_id, ':', 1) = ? order by id",
                transactionId);
    }

    public String requestStatus(long requestId) {
        return text("select status from payment_requests where id = ?", requestId);
    }

    public String orderStatus(String orderId) {
        return text("select status from orders where id = ?", orderId);
    }

    public List<String> cursor(String address) {
        return texts("select last_block_timestamp from trc20_cursor where address = ?", address);
    }

    public void update(String statement, Object... args) {
        sql.update(statement, args);
    }

    public long number(String query, Object... args) {
        return sql.number(query, args);
    }

    private String text(String query, Object... args) {
        return sql.text(query, args);
    }

    private List<String> texts(String query, Object... args) {
        return sql.texts(query, args);
    }
}
