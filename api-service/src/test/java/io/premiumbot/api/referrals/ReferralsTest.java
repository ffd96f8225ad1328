package io.premiumbot.api.referrals;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** Referral links (on in the test profile: 5 %, at most 1 USDT a month): who may be recorded as whose referrer. */
@QuarkusTest
class ReferralsTest {

    @Inject
    Pool pool;

    private Long referrerOf(long customer) {
        RowSet<Row> rows = pool.preparedQuery("select referrer_id from referrals where customer_id = $1")
                .execute(Tuple.of(customer))
                .await()
                .atMost(Duration.ofSeconds(5));
        return rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : null;
    }

    private static long knownUser() {
        long id = newUserId();
        send(id, "/start");
        return id;
    }

    @Test
    void aNewCustomerFromALinkGetsThatReferrer() {
        long referrer = knownUser();
        long customer = newUserId();

        send(customer, "/start r" + referrer).statusCode(200).body("text", containsString("Welcome"));

        assertEquals(referrer, referrerOf(customer));
    }

    @Test
    void aSecondReferrerIsIgnored() {
        long first = knownUser();
        long second = knownUser();
        long customer = newUserId();
        send(customer, "/start r" + first).statusCode(200);

        send(customer, "/start r" + second).statusCode(200);

        assertEquals(first, referrerOf(customer));
    }

    @Test
    void selfReferralIsIgnored() {
        long customer = knownUser();

        send(customer, "/start r" + customer).statusCode(200);

        assertNull(referrerOf(customer));
    }

    @Test
    void aCustomerWhoAlreadyBoughtGetsNoReferrer() {
        long referrer = knownUser();
        long customer = knownUser();
        credit(customer, "20").statusCode(201);
        send(customer, "/buy 3").body("text", containsString("is paid"));

        send(customer, "/start r" + referrer).statusCode(200);

        assertNull(referrerOf(customer));
    }

    @Test
    void someoneTheBotNeverSawIsNoReferrer() {
        long customer = newUserId();

        send(customer, "/start r" + newUserId()).statusCode(200);

        assertNull(referrerOf(customer));
    }

    @Test
    void referralsShowsTheLinkTheCountAndTheEarnings() {
        long referrer = knownUser();
        long customer = newUserId();
        send(customer, "/start r" + referrer).statusCode(200);
        send(newUserId(), "/start r" + referrer).statusCode(200);
        credit(customer, "20").statusCode(201);
        send(customer, "/buy 3");
        // delivered (the trigger owes the reward) and settled as the worker does
        pool.preparedQuery("update orders set status = 'DELIVERED' where buyer_id = $1")
                .execute(Tuple.of(customer))
                .await()
                .atMost(Duration.ofSeconds(5));
        pool.preparedQuery("""
                update referral_rewards set status = 'CREDITED', amount_micros = 699500, settled_at = now()
                where referrer_id = $1""").execute(Tuple.of(referrer)).await().atMost(Duration.ofSeconds(5));

        send(referrer, "/referrals")
                .body(
                        "text",
                        allOf(
                                containsString("https://t.me/premium_test_bot?start=r" + referrer),
                                containsString("5% of what they paid in USDT"),
                                containsString("(up to 1.000000 USDT a month)"),
                                containsString("Invited: 2. Earned so far: 0.699500 USDT.")));
    }
}
