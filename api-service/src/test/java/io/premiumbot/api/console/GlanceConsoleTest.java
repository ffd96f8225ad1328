package io.premiumbot.api.console;

import static io.premiumbot.api.Fixtures.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.premiumbot.api.sales.Sales;
import io.premiumbot.api.sales.SalesQueries;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** The console read at a glance: home summary, sales charts, statuses as words, local times, customers by name. */
@QuarkusTest
@QuarkusTestResource(FakeTelegram.class)
class GlanceConsoleTest {

    private static final ZoneId CONSOLE_ZONE = ZoneId.of("Asia/Shanghai");

    @Inject
    Pool pool;

    @Inject
    SalesQueries sales;

    private static String page(String path, String language) {
        return given().cookie("console_session", ConsoleTest.signIn(VERA_TOKEN))
                .cookie(ConsolePages.LANGUAGE_COOKIE, language)
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    private static String element(String html, String id) {
        Matcher matcher = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(html);
        assertTrue(matcher.find(), "the page has #" + id);
        return matcher.group(1);
    }

    @Test
    void theHomePageOpensOnTodaysSales() {
        paidOrderIn(pool, newUserId(), "PAID");

        String html = page("/console", "en");
        Sales today = sales.lastDays(1).await().atMost(Duration.ofSeconds(10));

        assertTrue(today.orders() >= 1, "the order just paid is today's");
        assertEquals(Long.toString(today.orders()), element(html, "today-orders"));
        assertEquals(today.usdtRevenue().plain(), element(html, "today-usdt"));
        assertEquals(Long.toString(today.starsRevenue()), element(html, "today-stars"));
        assertTrue(html.contains("id=\"stars-available\""), "the Stars available are on the home page");
        assertTrue(html.contains("Needs attention"), "what needs attention follows");
    }

    @Test
    void theSalesPageDrawsItsChartsWithTheFiguresPostgresSummed() {
        paidOrderIn(pool, newUserId(), "DELIVERED");

        String html = page("/console/sales?days=7", "en");
        Sales week = sales.lastDays(7).await().atMost(Duration.ofSeconds(10));

        for (String chart : new String[] {
            "chart-orders", "chart-usdt", "chart-stars", "chart-gifts", "chart-margin", "chart-costs", "chart-funnel"
        }) {
            assertTrue(
                    Pattern.compile("id=\"" + chart + "\">\\s*<figcaption>[^<]+</figcaption>\\s*<svg")
                            .matcher(html)
                            .find(),
                    chart + " is drawn");
        }
        assertEquals(Long.toString(week.orders()), element(html, "figure-orders"));
        assertEquals(week.usdtRevenue().plain(), element(html, "figure-usdt"));
        assertEquals(week.margin().plain(), element(html, "figure-margin"));
        assertTrue(html.contains("<rect"), "the paid order is a bar");
    }

    @Test
    void aPeriodOtherThanTheOffered7_30Or90DaysIsRefused() {
        given().cookie("console_session", ConsoleTest.signIn(VERA_TOKEN))
                .get("/console/sales?days=5")
                .then()
                .statusCode(400)
                .body(containsString("days: must be 7, 30 or 90"));
    }

    @Test
    void statusesAreWordsInTheOperatorsLanguage() {
        String orderId = paidOrderIn(pool, newUserId(), "DELIVERY_UNKNOWN");

        assertEquals("Delivery unclear", element(page("/console/orders/" + orderId, "en"), "order-status"));
        assertEquals("送达情况不明", element(page("/console/orders/" + orderId, "zh"), "order-status"));
    }

    @Test
    void timesAreShownInTheConsolesTimeZone() {
        String orderId = paidOrderIn(pool, newUserId(), "PAID");
        Instant created = pool.preparedQuery("select created_at from orders where id = $1")
                .execute(Tuple.of(orderId))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getOffsetDateTime("created_at")
                .toInstant();

        String html = page("/console/orders/" + orderId, "en");

        String shown = Pattern.compile("id=\"order-created\"><time datetime=\"[^\"]+\">([^<]+)<")
                .matcher(html)
                .results()
                .findFirst()
                .orElseThrow()
                .group(1);
        String clock = created.atZone(CONSOLE_ZONE).toLocalTime().toString().substring(0, 5);
        assertTrue(shown.endsWith(clock), shown + " is the Shanghai time " + clock);
        assertTrue(page("/console", "en").contains("Times are shown in Asia/Shanghai."));
    }

    @Test
    void aTimeReadsAsTodayYesterdayOrADate() {
        Page shanghai = new Page("vera", "viewer", "x", "en", false, false, null, CONSOLE_ZONE);
        Page chinese = new Page("vera", "viewer", "x", "zh", false, false, null, CONSOLE_ZONE);
        Instant now = Instant.parse("2026-03-02T01:00:00Z");

        assertEquals("today 04:30", Times.Format.human(Instant.parse("2026-03-01T20:30:00Z"), shanghai, now));
        assertEquals("yesterday 23:59", Times.Format.human(Instant.parse("2026-03-01T15:59:00Z"), shanghai, now));
        assertEquals("7 Feb 10:05", Times.Format.human(Instant.parse("2026-02-07T02:05:00Z"), shanghai, now));
        assertEquals("7 Dec 2025 10:05", Times.Format.human(Instant.parse("2025-12-07T02:05:00Z"), shanghai, now));
        assertEquals("2025年12月7日 10:05", Times.Format.human(Instant.parse("2025-12-07T02:05:00Z"), chinese, now));
    }

    @Test
    void customersAreShownByNameAndUsernameWithTheirId() {
        long buyer = newUserId();
        String orderId = paidOrderIn(pool, buyer, "PAID");
        pool.preparedQuery("update users set username = 'sally_buys', first_name = 'Sally' where telegram_id = $1")
                .execute(Tuple.of(buyer))
                .await()
                .atMost(Duration.ofSeconds(5));

        String html = page("/console/orders/" + orderId, "en");

        assertTrue(
                html.contains("<a href=\"/console/users/" + buyer
                        + "\" class=\"who\">Sally @sally_buys</a> <small class=\"tid\">" + buyer + "</small>"),
                "the buyer is named on the order page");
        assertTrue(
                page("/console/orders?user=" + buyer, "en").contains("Sally @sally_buys"), "and in the orders table");
    }
}
