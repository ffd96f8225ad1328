package io.premiumbot.worker.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

import io.premiumbot.model.order.OrderIds;
import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.model.queue.QueueKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Test data written the way api-service writes it: rows straight into PostgreSQL (plain JDBC, from the test
 * thread), jobs as JSON text onto the Redis list.
 */
@ApplicationScoped
public class Fixtures {

    public static final long PRICE_3_MONTHS = 13_990_000L;
    public static final String WORKER = "test-worker";

    private static final AtomicLong USER_IDS = new AtomicLong(System.currentTimeMillis() * 10);

    private final Sql sql;
    private final RedisDataSource redis;

    public Fixtures(DataSource db, RedisDataSource redis) {
        this.sql = new Sql(db);
        this.redis = redis;
    }

    /** A user whose wallet took a deposit of {@code depositMicros}, recorded in the ledger. */
    public long userWithDeposit(long depositMicros) {
        long id = USER_IDS.incrementAndGet();
        return sql.inTransaction(tx -> {
            tx.update(
                    "insert into users (telegram_id, username, balance_micros) values (?, ?, ?)",
                    id,
                    "user" + id,
                    depositMicros);
            tx.update("""
                    insert into ledger_entries (user_id, amount_micros, balance_after_micros, reason, reference, idempotency_key)
                    values (?, ?, ?, 'DEPOSIT', 'tx', ?)""", id, depositMicros, depositMicros, "deposit:" + id);
            return id;
        });
    }

    /**
     * Drift only a table owner can cause: the balance moved with the ledger's trigger switched off for the statement
     * (PostgreSQL refuses the move otherwise).
     */
    public void moveBalanceBehindTheLedgersBack(long userId, long micros) {
        sql.inTransaction(tx -> {
            tx.update("alter table users disable trigger users_balance_moves_with_entry");
            tx.update("update users set balance_micros = balance_micros + ? where telegram_id = ?", micros, userId);
            tx.update("alter table users enable trigger users_balance_moves_with_entry");
            return null;
        });
    }

    /** An entry whose balance did not move, with the database's check switched off for it (PostgreSQL refuses it otherwise). */
    public void entryBehindTheBalancesBack(long userId, long amountMicros, long balanceAfterMicros, String key) {
        sql.inTransaction(tx -> {
            tx.update("alter table ledger_entries disable trigger ledger_entries_move_the_balance");
            tx.update("""
                    insert into ledger_entries (user_id, amount_micros, balance_after_micros, reason, reference, idempotency_key)
                    values (?, ?, ?, 'DEPOSIT', 'stray', ?)""", userId, amountMicros, balanceAfterMicros, key);
            tx.update("alter table ledger_entries enable trigger ledger_entries_move_the_balance");
            return null;
        });
    }

    /**
     * An entry that does not continue its user's chain ({@code balance_after} is not the previous one plus the amount),
     * with the balance moved to that {@code balance_after}: balance and latest entry agree, their sum does not. Needs
     * the chain's trigger switched off for the statement (PostgreSQL refuses the entry otherwise).
     */
    public void entryBreakingTheChain(long userId, long amountMicros, long balanceAfterMicros, String key) {
        sql.inTransaction(tx -> {
            tx.update("alter table ledger_entries disable trigger ledger_entries_continue_chain");
            tx.update("update users set balance_micros = ? where telegram_id = ?", balanceAfterMicros, userId);
            tx.update("""
                    insert into ledger_entries (user_id, amount_micros, balance_after_micros, reason, reference, idempotency_key)
                    values (?, ?, ?, 'ADJUSTMENT', 'stray', ?)""", userId, amountMicros, balanceAfterMicros, key);
            // the balance-equals-latest-entry checks run now (they pass), so the table has no pending events to alter
            tx.update("set constraints all immediate");
            tx.update("alter table ledger_entries enable trigger ledger_entries_continue_chain");
            return null;
        });
    }

    /** A further entry the usual way: the balance moved by {@code amountMicros}, the entry continuing the chain. */
    public void entry(long userId, long amountMicros, String key) {
        sql.inTransaction(tx -> {
            long after = tx.number(
                    "update users set balance_micros = balance_micros + ? where telegram_id = ? returning balance_micros",
                    amountMicros,
                    userId);
            tx.update("""
                    insert into ledger_entries (user_id, amount_micros, balance_after_micros, reason, reference, idempotency_key)
                    values (?, ?, ?, 'ADJUSTMENT', 'test', ?)""", userId, amountMicros, after, key);
            return null;
        });
    }

    public long anotherTelegramUser() {
        return USER_IDS.incrementAndGet();
    }

    /** A 3-month order for {@code recipient}, paid from {@code buyer}'s wallet (balance and ledger debited). */
    public String paidOrder(long buyer, long recipient) {
        String id = OrderIds.next();
        update("""
                insert into orders (id, buyer_id, recipient_id, months, star_count, price_micros, pay_method, status, paid_at)
                values (?, ?, ?, 3, 1000, ?, 'WALLET', 'PAID', now())""", id, buyer, recipient, PRICE_3_MONTHS);
        return sql.inTransaction(tx -> {
            long balanceAfter = tx.number(
                    "update users set balance_micros = balance_micros - ? where telegram_id = ? returning balance_micros",
                    PRICE_3_MONTHS,
                    buyer);
            tx.update("""
                    insert into ledger_entries (user_id, amount_micros, balance_after_micros, reason, reference, idempotency_key)
                    values (?, ?, ?, 'ORDER_PAYMENT', ?, ?)""", buyer, -PRICE_3_MONTHS, balanceAfter, id, "order-payment:" + id);
            return id;
        });
    }

    /**
     * As the api-service's chargeback guard leaves a new buyer's Stars order: its gift held for {@code hold} from now
     * ({@code delivery_held_until}, and {@code gift_not_before} with it).
     */
    public void holdDelivery(String orderId, Duration hold) {
        update("""
                update orders set delivery_held_until = now() + make_interval(secs => ?),
                                  gift_not_before = now() + make_interval(secs => ?)
                where id = ?""", hold.toMillis() / 1000.0, hold.toMillis() / 1000.0, orderId);
    }

    /** An order for the buyer himself in {@code status}, last touched {@code untouchedFor} ago. */
    public String orderInStatus(long buyer, String status, Duration untouchedFor) {
        String id = OrderIds.next();
        update("""
                insert into orders (id, buyer_id, recipient_id, months, star_count, price_micros, status, expires_at, updated_at)
                values (?, ?, ?, 3, 1000, ?, ?, now() + interval '30 minutes', now() - make_interval(secs => ?))""", id, buyer, buyer, PRICE_3_MONTHS, status, (double) untouchedFor.toSeconds());
        return id;
    }

    /**
     * A 3-month order DELIVERING to {@code recipient}, its one attempt begun by {@code workerId} {@code ago}, stamped
     * sent then when {@code sent} (the request may have gone out), and never finished: a worker that vanished mid-call.
     */
    public String deliveringOrder(long buyer, long recipient, String workerId, Duration ago, boolean sent) {
        String id = paidOrder(buyer, recipient);
        double seconds = ago.toMillis() / 1000.0;
        update(
                "update orders set status = 'DELIVERING', updated_at = now() - make_interval(secs => ?) where id = ?",
                seconds,
                id);
        update("""
                insert into delivery_attempts (order_id, attempt, worker_id, started_at, sent_at)
                values (?, 1, ?, now() - make_interval(secs => ?), case when ? then now() - make_interval(secs => ?) end)""", id, workerId, seconds, sent, seconds);
        return id;
    }

    /**
     * The bot's Star transactions read from the start again, as after a fresh fake: cursor, lease and the gifts no
     * attempt names forgotten (PostgreSQL keeps the proven ones; their ids name users of earlier tests only).
     */
    public void forgetStarTransactions() {
        update("delete from star_transactions");
        update("delete from star_gifts where attempt_id is null");
        update("update star_transactions_cursor set next_offset = 0, imported_offset = 0, lease_holder = null,"
                + " lease_until = null");
    }

    /** The job as api-service writes it after the order committed as PAID. */
    public static String job(String orderId, int attempt) {
        return new DeliveryJob(
                        orderId, attempt, Instant.now(), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .toJson();
    }

    public void enqueue(String job) {
        redis.list(String.class).lpush(QueueKeys.READY, job);
    }

    public void push(String key, String value) {
        redis.list(String.class).lpush(key, value);
    }

    public List<String> list(String key) {
        return redis.list(String.class).lrange(key, 0, -1);
    }

    /** Neither waiting nor being worked on by this worker. */
    public boolean settled(String job) {
        return !list(QueueKeys.READY).contains(job)
                && !list(QueueKeys.processing(WORKER)).contains(job);
    }

    public String status(String orderId) {
        return text("select status from orders where id = ?", orderId);
    }

    public String failureReason(String orderId) {
        return text("select failure_reason from orders where id = ?", orderId);
    }

    public long balance(long userId) {
        return single("select balance_micros from users where telegram_id = ?", userId);
    }

    public long ledgerSum(long userId) {
        return single("select coalesce(sum(amount_micros), 0) from ledger_entries where user_id = ?", userId);
    }

    public long refundEntries(String orderId) {
        return single(
                "select count(*) from ledger_entries where reason = 'REFUND' and reference = ? and idempotency_key = ?",
                orderId,
                "refund:" + orderId);
    }

    public List<String> attemptOutcomes(String orderId) {
        return texts("select outcome from delivery_attempts where order_id = ? order by attempt", orderId);
    }

    public long paymentRequest(long userId, String orderId, long amountMicros, Duration expiresIn) {
        return single("""
                insert into payment_requests (user_id, order_id, amount_micros, status, expires_at)
                values (?, ?, ?, 'OPEN', now() + make_interval(secs => ?)) returning id""", userId, orderId, amountMicros, (double) expiresIn.toSeconds());
    }

    public String paymentRequestStatus(long id) {
        return text("select status from payment_requests where id = ?", id);
    }

    public void update(String statement, Object... args) {
        sql.update(statement, args);
    }

    /** One SQL statement with its parameters, for {@link #together}. */
    public record Statement(String sql, Object... args) {}

    /** The statements in one transaction: all commit, or none does. */
    public void together(Statement... statements) {
        sql.inTransaction(tx -> {
            for (Statement statement : statements) {
                tx.update(statement.sql(), statement.args());
            }
            return null;
        });
    }

    private long single(String query, Object... args) {
        return sql.number(query, args);
    }

    public String text(String query, Object... args) {
        return sql.text(query, args);
    }

    private List<String> texts(String query, Object... args) {
        return sql.texts(query, args);
    }
}
