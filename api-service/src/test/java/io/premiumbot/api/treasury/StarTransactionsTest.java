package io.premiumbot.api.treasury;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** The operator sees the imported Star transactions and acknowledges an unexplained one, once, audited. */
@QuarkusTest
@QuarkusTestResource(FakeTelegram.class)
class StarTransactionsTest {

    @Inject
    Pool pool;

    /** An imported transaction the worker classified as {@code kind} (unexplained kinds only); its row id. */
    private long imported(String kind, String direction, long stars) {
        String id = "tx-" + ThreadLocalRandom.current().nextLong(1L << 40);
        return pool.preparedQuery("""
                        insert into star_transactions (transaction_id, direction, stars, partner, made_at, position, class)
                        values ($1, $2, $3, 'user', now(), 0, $4) returning id""")
                .execute(Tuple.of(id, direction, stars, kind))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getLong(0);
    }

    private static io.restassured.response.ValidatableResponse acknowledge(long id, String note) {
        return operatorNamed(ALICE_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"note\":\"" + note + "\"}")
                .post("/admin/treasury/transactions/" + id + "/acknowledge")
                .then();
    }

    @Test
    void anUnexplainedMovementIsListedUntilAnOperatorAcknowledgesItOnce() {
        long id = imported("CHARGEBACK", "OUT", 1_000);
        operator()
                .get("/admin/treasury/transactions?unexplained=true&limit=500")
                .then()
                .body("items.id", hasItem((int) id))
                .body("items.find { it.id == " + id + " }.class", is("CHARGEBACK"))
                .body("items.find { it.id == " + id + " }.stars", is(-1000));

        acknowledge(id, "the buyer disputed with Apple").statusCode(204);
        acknowledge(id, "again").statusCode(409).body("detail", containsString("acknowledged by alice"));

        operator()
                .get("/admin/treasury/transactions?unexplained=true&limit=500")
                .then()
                .body("items.id", not(hasItem((int) id)));
        assertEquals(
                1L,
                pool.preparedQuery("select count(*) from audit_log where action = 'stars.transaction_acknowledged'"
                                + " and target = $1 and actor = 'alice'")
                        .execute(Tuple.of("star-transaction:" + id))
                        .await()
                        .atMost(Duration.ofSeconds(5))
                        .iterator()
                        .next()
                        .getLong(0));
    }

    @Test
    void anAcknowledgementNeedsANote() {
        long id = imported("WITHDRAWAL", "OUT", 5_000);

        acknowledge(id, " ").statusCode(400).body("detail", containsString("note is required"));
    }

    @Test
    void aViewerCannotAcknowledge() {
        long id = imported("ADS", "OUT", 50);

        operatorNamed(VERA_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"note\":\"ads\"}")
                .post("/admin/treasury/transactions/" + id + "/acknowledge")
                .then()
                .statusCode(403);
    }

    @Test
    void anUnknownTransactionIsNotFound() {
        acknowledge(Long.MAX_VALUE, "what").statusCode(404);
    }
}
