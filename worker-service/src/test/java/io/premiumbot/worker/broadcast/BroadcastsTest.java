package io.premiumbot.worker.broadcast;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.telegram.TelegramBudgetConfig;
import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.support.BroadcastFixtures;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Announcements reach each customer at most once, in their language, and never those who blocked the bot or opted out. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BroadcastsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    BroadcastFixtures broadcasts;

    @Inject
    BroadcastSender sender;

    @Inject
    TelegramBudgetConfig budget;

    @AfterEach
    void senderRunsAgain() {
        sender.start();
        // the fake is shared with the next test classes: no rate limit, no 429s counted, no calls
        telegram.reset();
    }

    private Map<Long, Long> messagesPerChat(Set<Long> chats) {
        return telegram.calls("sendMessage").stream()
                .map(call -> call.longParam("chat_id"))
                .filter(chats::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void everyCustomerGetsTheAnnouncementInTheirLanguage() {
        List<Long> customers = broadcasts.customers(4);
        long id = broadcasts.running(customers);

        await().atMost(WAIT).until(() -> "DONE".equals(broadcasts.status(id)));
        assertEquals(4, broadcasts.messages(id, "SENT"));
        for (int i = 0; i < customers.size(); i++) {
            long chat = customers.get(i);
            List<String> texts = telegram.calls("sendMessage").stream()
                    .filter(call -> call.longParam("chat_id") == chat)
                    .map(call -> call.params().get("text"))
                    .toList();
            assertEquals(List.of(i % 2 == 0 ? "News!" : "新闻！"), texts, "customer " + i);
        }
    }

    @Test
    void aCustomerWhoBlockedTheBotIsMarkedAndSkippedByTheNextBroadcast() {
        List<Long> customers = broadcasts.customers(2);
        long blocker = customers.get(1);
        telegram.blockBot(blocker);
        long first = broadcasts.running(customers);
        await().atMost(WAIT).until(() -> "DONE".equals(broadcasts.status(first)));
        assertEquals("BLOCKED", broadcasts.state(first, blocker));
        assertTrue(broadcasts.blocked(blocker), "marked as having blocked the bot");

        long second = broadcasts.running(customers);
        await().atMost(WAIT).until(() -> "DONE".equals(broadcasts.status(second)));

        assertEquals("SKIPPED", broadcasts.state(second, blocker));
        assertEquals("SENT", broadcasts.state(second, customers.get(0)));
        assertEquals(1L, messagesPerChat(Set.of(blocker)).get(blocker), "asked Telegram once, in the first broadcast");
    }

    @Test
    void aCustomerWhoOptedOutAfterTheStartIsSkipped() {
        List<Long> customers = broadcasts.customers(2);
        sender.stop();
        long id = broadcasts.running(customers);
        broadcasts.update("update users set announcements_off_at = now() where telegram_id = ?", customers.get(0));
        sender.start();

        await().atMost(WAIT).until(() -> "DONE".equals(broadcasts.status(id)));
        assertEquals("SKIPPED", broadcasts.state(id, customers.get(0)));
        assertEquals("SENT", broadcasts.state(id, customers.get(1)));
        assertEquals(Map.of(customers.get(1), 1L), messagesPerChat(Set.copyOf(customers)));
    }

    @Test
    void aMessageWhoseSenderDiedMidCallIsMarkedUnknownAndNeverSentAgain() {
        List<Long> customers = broadcasts.customers(3);
        long id = broadcasts.running(customers);
        long lost = customers.get(0);
        // what a worker killed between the stamp and Telegram's answer leaves behind
        broadcasts.update(
                "update broadcast_messages set state = 'SENDING', sending_at = now(), claimed_by = 'dead-worker'"
                        + " where broadcast_id = ? and chat_id = ?",
                id,
                lost);

        await().atMost(WAIT).until(() -> "DONE".equals(broadcasts.status(id)));

        assertEquals("UNKNOWN", broadcasts.state(id, lost));
        assertEquals(2, broadcasts.messages(id, "SENT"));
        assertEquals(null, messagesPerChat(Set.of(lost)).get(lost), "never sent by a live worker");
    }

    @Test
    void cancellingABroadcastStopsItsMessages() {
        telegram.rateLimitPerSecond(budget.rateLimitPerSecond());
        List<Long> customers = broadcasts.customers(300);
        long id = broadcasts.running(customers);
        await().atMost(WAIT).until(() -> broadcasts.messages(id, "SENT") >= 20);

        broadcasts.cancel(id);

        // messages already in flight settle; nothing more is sent
        await().atMost(Duration.ofSeconds(5)).until(() -> broadcasts.messages(id, "SENDING") == 0);
        long sent = broadcasts.messages(id, "SENT");
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(() -> messagesPerChat(Set.copyOf(customers)).size() == sent);
        assertTrue(sent < 300, sent + " sent");
        assertEquals(300 - sent, broadcasts.messages(id, "CANCELLED"));
        assertEquals("CANCELLED", broadcasts.status(id));
    }

    @Test
    void aBroadcastToTwoThousandReachesEveryoneExactlyOnceAcrossAWorkerRestart() {
        telegram.rateLimitPerSecond(budget.rateLimitPerSecond());
        long limitedBefore = telegram.rateLimitedCount();
        List<Long> customers = broadcasts.customers(2000);
        long id = broadcasts.running(customers);
        await().atMost(Duration.ofSeconds(90)).until(() -> broadcasts.messages(id, "SENT") >= 200);

        sender.stop();
        // the stopped worker's calls in flight settle; then it sends nothing more
        await().atMost(Duration.ofSeconds(5)).until(() -> broadcasts.messages(id, "SENDING") == 0);
        long before = broadcasts.messages(id, "SENT");
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(() -> broadcasts.messages(id, "SENT") == before);
        assertTrue(before < 2000, "stopped mid-broadcast");
        sender.start();

        // broadcasts take at most every third slot of the budget: 2,000 take about 210 s
        await().atMost(Duration.ofSeconds(330)).until(() -> "DONE".equals(broadcasts.status(id)));
        Map<Long, Long> received = messagesPerChat(Set.copyOf(customers));
        assertEquals(2000, received.size(), "customers reached");
        assertEquals(Set.of(1L), Set.copyOf(received.values()), "messages per customer");
        assertEquals(2000, broadcasts.messages(id, "SENT"));
        assertEquals(0, telegram.rateLimitedCount() - limitedBefore, "429s provoked");
    }
}
