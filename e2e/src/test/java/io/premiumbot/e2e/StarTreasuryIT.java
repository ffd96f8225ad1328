package io.premiumbot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged api-service replicas on one database, as two pods behind the ingress, and buyers racing for the bot's
 * last Stars: PostgreSQL lets exactly as many purchases through as the Stars cover, whichever replica takes them.
 */
class StarTreasuryIT {

    private static Stack stack;
    private static StackClient first;
    private static StackClient second;

    @BeforeAll
    static void startTwoApiReplicas() {
        stack = Stack.start(Stack.Options.defaults().withEnv(Map.of("WORKER_STAR_BALANCE_EVERY", "1s")));
        ServiceProcess replica = stack.startApiReplica();
        first = stack.client();
        second = new StackClient(replica.baseUri(), stack.webhookSecret(), stack.adminToken());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void ofTwoPurchasesOnTwoReplicasForTheLastThousandStarsExactlyOneIsPaid() throws Exception {
        racePaysExactly(2, 1000, 1);
    }

    @Test
    void ofTwentyPurchasesOnTwoReplicasForTheLastFiveThousandStarsExactlyFiveArePaid() throws Exception {
        racePaysExactly(20, 5000, 5);
    }

    /** {@code buyers} funded buyers race for {@code stars}: exactly {@code covered} are paid, the rest told sold out. */
    private static void racePaysExactly(int buyers, long stars, int covered) throws Exception {
        List<Long> racers = fundedBuyers(buyers);
        botHasForSale(stars);

        List<String> answers = race(racers);

        assertEquals(covered, count(answers, "is paid"), answers.toString());
        assertEquals(buyers - covered, count(answers, "sold out"), answers.toString());
        assertEquals(covered, paidOrders(racers));
    }

    private static List<Long> fundedBuyers(int count) {
        List<Long> buyers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long buyer = 7_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
            first.say(buyer, "racer" + buyer, "/start");
            StackClient.Reply credit = first.adminPost(
                    "/admin/users/" + buyer + "/adjustments",
                    StackClient.adjustment("20.000000", "race"),
                    Map.of("Idempotency-Key", "race-" + buyer));
            assertEquals(201, credit.status(), credit.toString());
            buyers.add(buyer);
        }
        return buyers;
    }

    /**
     * Once earlier orders are delivered and a read shows it (nothing reserved), the bot has exactly {@code stars}, as the
     * worker's next read shows.
     */
    private static void botHasForSale(long stars) {
        Awaitility.await("earlier gifts delivered and read")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> reserved() == 0);
        stack.botApi().starBalance(stars);
        Awaitility.await("the worker's read of " + stars + " Stars")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> storedBalance() == stars && reserved() == 0);
    }

    /** Every buyer sends {@code /buy 3} at once, alternating between the two replicas; their answers. */
    private static List<String> race(List<Long> buyers) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(buyers.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<StackClient.Reply>> calls = new ArrayList<>();
            for (int i = 0; i < buyers.size(); i++) {
                long buyer = buyers.get(i);
                StackClient replica = i % 2 == 0 ? first : second;
                calls.add(threads.submit(() -> {
                    go.await();
                    return replica.say(buyer, "racer" + buyer, "/buy 3");
                }));
            }
            go.countDown();
            List<String> answers = new ArrayList<>();
            for (Future<StackClient.Reply> call : calls) {
                StackClient.Reply reply = call.get();
                assertEquals(200, reply.status(), reply.toString());
                answers.add(reply.json().path("text").asText());
            }
            return answers;
        } finally {
            threads.shutdownNow();
        }
    }

    private static long count(List<String> answers, String text) {
        return answers.stream().filter(answer -> answer.contains(text)).count();
    }

    private static long paidOrders(List<Long> buyers) throws SQLException {
        return number(
                "select count(*) from orders where buyer_id = any(?) and status in ('PAID', 'DELIVERING', 'DELIVERED')",
                (Object) buyers.toArray(Long[]::new));
    }

    private static long storedBalance() throws SQLException {
        return number("select coalesce(balance, -1) from star_treasury where id = 1");
    }

    private static long reserved() throws SQLException {
        return number("select r.paid + r.unpaid + r.spent_since from star_treasury_reserved() r");
    }

    private static long number(String sql, Object... args) throws SQLException {
        StackDatabase db = stack.database();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Long[] ids) {
                    statement.setArray(i + 1, connection.createArrayOf("bigint", ids));
                } else {
                    statement.setObject(i + 1, args[i]);
                }
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
