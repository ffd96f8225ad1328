package io.premiumbot.api.payments;

import static io.premiumbot.api.Fixtures.newUserId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.support.Rows;
import io.premiumbot.api.support.StockedTreasury;
import io.premiumbot.model.order.OrderIds;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/**
 * What PostgreSQL counts as reserved (star_treasury_reserved) and what the gate (star_treasury_take) lets an unpaid
 * order hold, on orders written as the services write them.
 */
@QuarkusTest
class StarReservationsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Stars left beyond what is reserved, far below star_treasury_plenty() on any server (max_connections × 2,500). */
    private static final long NEAR_THE_END = 10_000;

    @Inject
    Pool pool;

    @AfterEach
    void restock() {
        StockedTreasury.plenty(pool);
    }

    @Test
    void aPaidOrderReservesItsGiftUntilItIsDeliveredAndTheNextReadShowsTheStarsGone() {
        StockedTreasury.plenty(pool);
        long before = StockedTreasury.reserved(pool);
        String order = order(newUserId(), 12, "PAID");
        assertEquals(before + 2500, StockedTreasury.reserved(pool));

        Rows.change(pool, "update orders set status = 'DELIVERING' where id = $1", order);
        assertEquals(before + 2500, StockedTreasury.reserved(pool));
        // delivered after the last read: still counted, the balance doesn't show the gift yet
        Rows.change(
                pool,
                "update orders set status = 'DELIVERED', delivered_at = now(), updated_at = now() where id = $1",
                order);
        assertEquals(before + 2500, StockedTreasury.reserved(pool));

        StockedTreasury.plenty(pool); // a newer read, which shows the gift paid
        assertEquals(before, StockedTreasury.reserved(pool));
    }

    @Test
    void aFailedOrRefundedOrderReleasesItsStars() {
        long before = StockedTreasury.reserved(pool);
        String failed = order(newUserId(), 6, "DELIVERY_UNKNOWN");
        assertEquals(before + 1500, StockedTreasury.reserved(pool));

        Rows.change(pool, "update orders set status = 'FAILED' where id = $1", failed);
        assertEquals(before, StockedTreasury.reserved(pool));
        Rows.change(pool, "update orders set status = 'REFUNDED' where id = $1", failed);
        assertEquals(before, StockedTreasury.reserved(pool));
    }

    @Test
    void aPendingStarsRefundCountsUntilTheReadAfterItShowsItGone() {
        long buyer = newUserId();
        String order = order(buyer, 3, "FAILED");
        long before = StockedTreasury.reserved(pool);
        pool.preparedQuery("insert into star_refunds (charge_id, user_id, order_id, stars, reason) "
                        + "values ($1, $2, $3, 1000, 'UNDELIVERABLE')")
                .execute(Tuple.of("charge-" + order, buyer, order))
                .await()
                .atMost(WAIT);
        assertEquals(before + 1000, StockedTreasury.reserved(pool));

        Rows.change(
                pool, "update star_refunds set status = 'REFUNDED', refunded_at = now() where order_id = $1", order);
        assertEquals(before + 1000, StockedTreasury.reserved(pool));
        StockedTreasury.plenty(pool);
        assertEquals(before, StockedTreasury.reserved(pool));
    }

    @Test
    void anUnpaidOrderHoldsItsStarsUntilItExpires() {
        long buyer = newUserId();
        String order = order(buyer, 3, "PENDING_PAYMENT");
        long before = StockedTreasury.reserved(pool);

        assertEquals("HELD", take(order, 5000L, 50));
        assertEquals(before + 1000, StockedTreasury.reserved(pool));
        assertEquals("COVERED", take(order, 5000L, 50), "a second look takes nothing more");
        assertEquals(before + 1000, StockedTreasury.reserved(pool));

        Rows.change(pool, "update orders set status = 'EXPIRED' where id = $1", order);
        assertEquals(before, StockedTreasury.reserved(pool));
    }

    @Test
    void aCustomersUnpaidHoldsStopAtTheirBoundAndTheRestAreLetThroughWithoutAHold() {
        long buyer = newUserId();
        String first = order(buyer, 12, "PENDING_PAYMENT");
        String second = order(buyer, 12, "PENDING_PAYMENT");
        String third = order(buyer, 12, "PENDING_PAYMENT");
        long before = StockedTreasury.reserved(pool);

        assertEquals("HELD", take(first, 5000L, 100));
        assertEquals("HELD", take(second, 5000L, 100));
        assertEquals("UNHELD", take(third, 5000L, 100));
        assertEquals(before + 5000, StockedTreasury.reserved(pool));
        // another customer still gets a hold
        assertEquals("HELD", take(order(newUserId(), 12, "PENDING_PAYMENT"), 5000L, 100));
    }

    @Test
    void allUnpaidHoldsTogetherStopAtTheirShareOfTheBalance() {
        String order = order(newUserId(), 3, "PENDING_PAYMENT");
        long before = StockedTreasury.reserved(pool);

        assertEquals("UNHELD", take(order, 5000L, 0));
        assertEquals(before, StockedTreasury.reserved(pool));
    }

    @Test
    void anUnpaidOrderTheStarsDontCoverIsRefusedAndHoldsNothing() {
        String order = order(newUserId(), 3, "PENDING_PAYMENT");
        StockedTreasury.leave(pool, 999);

        assertEquals("SOLD_OUT", take(order, 5000L, 100));
        assertEquals(0, Rows.count(pool, "select count(*) from orders where id = $1 and star_hold", order));
    }

    @Test
    void aBalanceBelowWhatIsReservedNeverStopsAnExistingOrderMoving() {
        long buyer = newUserId();
        String paid = order(buyer, 12, "PAID");
        String pending = order(buyer, 3, "PENDING_PAYMENT");
        Rows.change(pool, "update star_treasury set balance = 0, balance_at = now() where id = $1", 1);

        Rows.change(pool, "update orders set status = 'DELIVERING' where id = $1", paid);
        Rows.change(pool, "update orders set status = 'DELIVERED', delivered_at = now() where id = $1", paid);
        Rows.change(pool, "update orders set status = 'PAID', paid_at = now() where id = $1", pending);

        assertEquals(1, Rows.count(pool, "select count(*) from orders where id = $1 and status = 'DELIVERED'", paid));
        assertEquals(1, Rows.count(pool, "select count(*) from orders where id = $1 and status = 'PAID'", pending));
    }

    @Test
    void theRunningTotalsEqualTheOrdersSummedAfterChangesOfManyOrdersAtOnceADeliveryAndARollback() {
        long buyer = newUserId();
        String paid = order(buyer, 12, "PAID");
        String held = order(buyer, 3, "PENDING_PAYMENT");
        String alsoHeld = order(newUserId(), 6, "PENDING_PAYMENT");
        assertEquals("HELD", take(held, 5000L, 100));
        assertEquals("HELD", take(alsoHeld, 5000L, 100));
        // one statement changing several orders, as an expiry sweep does, and a delivery
        Rows.change(pool, "update orders set status = 'EXPIRED' where id = any($1)", new String[] {held, alsoHeld});
        Rows.change(pool, "update orders set status = 'DELIVERED', delivered_at = now() where id = $1", paid);
        // a purchase that rolls back leaves the totals as they were
        pool.withTransaction(connection -> connection
                        .preparedQuery("update orders set status = 'PAID' where id = $1")
                        .execute(Tuple.of(order(buyer, 6, "PENDING_PAYMENT")))
                        .flatMap(changed -> io.smallrye.mutiny.Uni.createFrom()
                                .failure(new IllegalStateException("rolled back on purpose"))))
                .onFailure()
                .recoverWithNull()
                .await()
                .atMost(WAIT);
        // an order removed by hand while it still promised its gift
        Rows.change(pool, "delete from orders where id = $1", order(newUserId(), 3, "PAID"));

        var counted = pool.query("""
                        select (select sum(paid) from star_reservations), (select sum(unpaid) from star_reservations),
                               (select sum(spent) from star_reservations), r.paid, r.unpaid, r.spent
                        from star_reservations_recount() r""").execute().await().atMost(WAIT).iterator().next();
        assertEquals(counted.getLong(3), counted.getLong(0), "Stars promised to paid orders");
        assertEquals(counted.getLong(4), counted.getLong(1), "Stars held by unpaid orders");
        assertEquals(counted.getLong(5), counted.getLong(2), "Stars of the gifts delivered");
    }

    @Test
    void whileTheBotHasPlentyOfStarsAPurchaseTakesNoTurnAtTheTreasuryLock() {
        String order = order(newUserId(), 12, "PAID");
        SqlConnection holder = treasuryLockedByAnotherTransaction();
        try {
            assertEquals("COVERED", take(order, 5000L, 50));
        } finally {
            holder.query("rollback").execute().await().atMost(WAIT);
            holder.closeAndAwait();
        }
    }

    @Test
    void nearTheEndOfTheStarsEveryPurchaseWaitsItsTurnAtTheTreasuryLock() {
        String order = order(newUserId(), 12, "PAID");
        StockedTreasury.leave(pool, NEAR_THE_END);
        SqlConnection holder = treasuryLockedByAnotherTransaction();

        coveredOnlyOnceEnded(order, holder, "rollback");
    }

    @Test
    void aPurchaseNearTheEndWaitsForThePurchasesPlentyLetThroughToCommit() {
        String order = order(newUserId(), 12, "PAID");
        StockedTreasury.leave(pool, NEAR_THE_END);
        // a purchase let through by plenty a moment ago, still in flight: it holds the turn shared until its commit
        SqlConnection inFlight = pool.getConnection().await().atMost(WAIT);
        inFlight.query("begin").execute().await().atMost(WAIT);
        inFlight.query("select pg_advisory_xact_lock_shared(star_treasury_turn())")
                .execute()
                .await()
                .atMost(WAIT);

        coveredOnlyOnceEnded(order, inFlight, "commit");
    }

    /**
     * The gate for {@code order} gives no answer while {@code other}'s transaction lasts (half a second looked at), and
     * covers the order once that transaction ends with {@code ending}.
     */
    private void coveredOnlyOnceEnded(String order, SqlConnection other, String ending) {
        AtomicReference<String> answer = new AtomicReference<>();
        pool.preparedQuery("select star_treasury_take($1, 0, 5000, 50)")
                .execute(Tuple.of(order))
                .subscribe()
                .with(rows -> answer.set(rows.iterator().next().getString(0)));
        try {
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> answer.get() == null);
        } finally {
            other.query(ending).execute().await().atMost(WAIT);
            other.closeAndAwait();
        }
        await().atMost(WAIT).until(() -> "COVERED".equals(answer.get()));
    }

    private SqlConnection treasuryLockedByAnotherTransaction() {
        SqlConnection holder = pool.getConnection().await().atMost(WAIT);
        holder.query("begin").execute().await().atMost(WAIT);
        holder.query("select 1 from star_treasury where id = 1 for update")
                .execute()
                .await()
                .atMost(WAIT);
        return holder;
    }

    private String take(String order, Long perCustomer, Integer share) {
        return pool.preparedQuery("select star_treasury_take($1, 0, $2, $3)")
                .execute(Tuple.of(order, perCustomer, share))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getString(0);
    }

    /** An order as api-service writes one (its buyer known to the bot), in {@code status}. */
    private String order(long buyer, int months, String status) {
        String id = OrderIds.next();
        pool.preparedQuery("insert into users (telegram_id) values ($1) on conflict do nothing")
                .execute(Tuple.of(buyer))
                .await()
                .atMost(WAIT);
        pool.preparedQuery("""
                        insert into orders (id, buyer_id, recipient_id, months, star_count, price_micros, status, expires_at)
                        values ($1, $2, $2, $3, $4, 13990000, $5, now() + interval '30 minutes')""")
                .execute(Tuple.of(id, buyer, months, months == 3 ? 1000 : months == 6 ? 1500 : 2500, status))
                .await()
                .atMost(WAIT);
        return id;
    }
}
