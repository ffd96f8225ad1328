package io.premiumbot.api.bot;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.premiumbot.api.promo.PromoCodesTest;
import io.premiumbot.testkit.TelegramUpdates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * {@code SHOP_PAYMENT_METHODS=stars}: every command, button and payment update the bot answers is driven in English
 * and Chinese, and no answer shows USDT, a wallet, a top-up or the TRON address; the menu has no USDT command.
 */
@QuarkusTest
@TestProfile(StarsOnlyModeTest.StarsOnly.class)
class StarsOnlyModeTest {

    public static class StarsOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shop.payment-methods", "stars", "bot.flood.limit", "100000");
        }
    }

    /** What a Stars-only shop never shows; {@code "pw:}/{@code "pc:} are the wallet and on-chain buttons' data. */
    private static final List<String> USDT_WORDING = List.of(
            "USDT",
            "TRON",
            "TRC20",
            "wallet",
            "Wallet",
            "top up",
            "topup",
            "/balance",
            "TTestReceiveAddress",
            "钱包",
            "充值",
            "\"pw:",
            "\"pc:");

    /** One thing a customer does, in a language: the bodies of every answer it got. */
    record Interaction(String name, Function<String, List<Response>> run) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Response say(long user, String language, String text) {
        return sendUpdate(textUpdate(nextUpdateId(), user, "u" + user, language, text))
                .statusCode(200)
                .extract()
                .response();
    }

    private static Response tap(long user, String language, String data) {
        return press(user, language, data).statusCode(200).extract().response();
    }

    private static long customer(String language) {
        long user = newUserId();
        say(user, language, "/start");
        return user;
    }

    /** A friend who has talked to the bot, so a gift to their @username can go ahead. */
    private static long friend() {
        long friend = newUserId();
        say(friend, "en", "/start");
        return friend;
    }

    private static String data(Response answer, String path) {
        return answer.path(path);
    }

    /** A confirmation for oneself (3 months), as the answer showing it. */
    private static Response confirmation(long user, String language) {
        return tap(user, language, "to:3:" + user);
    }

    private static String invoicePayload(long user, String language) {
        Response confirmation = confirmation(user, language);
        return data(
                tap(user, language, data(confirmation, "reply_markup.inline_keyboard[0][0].callback_data")), "payload");
    }

    private static Response checkout(long user, String language, long stars, String payload) {
        return sendUpdate(TelegramUpdates.from(user)
                        .updateId(nextUpdateId())
                        .language(language)
                        .preCheckout(stars, payload))
                .statusCode(200)
                .extract()
                .response();
    }

    private static Response paid(long user, String language, long stars, String payload) {
        return sendUpdate(TelegramUpdates.from(user)
                        .updateId(nextUpdateId())
                        .language(language)
                        .successfulPayment(stars, payload, "charge-" + payload + "-" + nextUpdateId()))
                .statusCode(200)
                .extract()
                .response();
    }

    static List<Interaction> interactions() {
        List<Interaction> all = new ArrayList<>();
        all.add(new Interaction("/start (new)", lang -> List.of(say(newUserId(), lang, "/start"))));
        all.add(new Interaction("/start (back)", lang -> List.of(say(customer(lang), lang, "/start"))));
        all.add(new Interaction("/start r<referrer>", lang -> List.of(say(newUserId(), lang, "/start r" + friend()))));
        all.add(new Interaction("/help", lang -> List.of(say(customer(lang), lang, "/help"))));
        all.add(new Interaction("/balance", lang -> List.of(say(customer(lang), lang, "/balance"))));
        all.add(new Interaction("/topup 20", lang -> List.of(say(customer(lang), lang, "/topup 20"))));
        all.add(new Interaction("/topup", lang -> List.of(say(customer(lang), lang, "/topup"))));
        all.add(new Interaction("/orders (none)", lang -> List.of(say(customer(lang), lang, "/orders"))));
        all.add(new Interaction("/orders", lang -> {
            long user = customer(lang);
            String payload = invoicePayload(user, lang);
            return List.of(paid(user, lang, 1000, payload), say(user, lang, "/orders"));
        }));
        all.add(new Interaction("/promo", lang -> List.of(say(customer(lang), lang, "/promo"))));
        all.add(new Interaction("/promo UNKNOWN", lang -> List.of(say(customer(lang), lang, "/promo NOSUCH1"))));
        all.add(new Interaction("/promo CODE (a fixed USDT amount off)", lang -> {
            String code = PromoCodesTest.newCode("\"amountOff\":\"1\"", "");
            return List.of(say(customer(lang), lang, "/promo " + code));
        }));
        all.add(new Interaction("/promo CODE on an open confirmation", lang -> {
            String code = PromoCodesTest.newCode("\"percentOff\":10", "");
            long user = customer(lang);
            Response shown = confirmation(user, lang);
            Response discounted = say(user, lang, "/promo " + code);
            Response invoice = tap(user, lang, data(discounted, "reply_markup.inline_keyboard[0][0].callback_data"));
            return List.of(shown, discounted, invoice);
        }));
        all.add(new Interaction("/referrals", lang -> List.of(say(customer(lang), lang, "/referrals"))));
        all.add(new Interaction("/paysupport", lang -> List.of(say(customer(lang), lang, "/paysupport"))));
        all.add(new Interaction("an unknown command", lang -> List.of(say(customer(lang), lang, "/wallet"))));
        all.add(new Interaction("plain text", lang -> List.of(say(customer(lang), lang, "hello"))));
        all.add(new Interaction("too long", lang -> List.of(say(customer(lang), lang, "x".repeat(300)))));
        all.add(new Interaction("/buy", lang -> List.of(say(customer(lang), lang, "/buy"))));
        all.add(new Interaction(
                "/buy 3 (for oneself: the invoice)", lang -> List.of(say(customer(lang), lang, "/buy 3"))));
        all.add(new Interaction("/buy 3 @friend, Confirm, pay", lang -> {
            long user = customer(lang);
            long friend = friend();
            Response asked = say(user, lang, "/buy 3 @u" + friend);
            Response invoice = tap(user, lang, data(asked, "reply_markup.inline_keyboard[0][0].callback_data"));
            String payload = data(invoice, "payload");
            return List.of(asked, invoice, checkout(user, lang, 1000, payload), paid(user, lang, 1000, payload));
        }));
        all.add(new Interaction("/buy 3 @friend with a code", lang -> {
            String code = PromoCodesTest.newCode("\"percentOff\":10", "");
            long user = customer(lang);
            Response asked = say(user, lang, "/buy 3 @u" + friend());
            return List.of(asked, say(user, lang, "/promo " + code));
        }));
        all.add(new Interaction("/buy 3 @friend, Cancel", lang -> {
            long user = customer(lang);
            Response asked = say(user, lang, "/buy 3 @u" + friend());
            return List.of(tap(user, lang, data(asked, "reply_markup.inline_keyboard[0][1].callback_data")));
        }));
        all.add(new Interaction("button: months", lang -> List.of(tap(customer(lang), lang, "buy:3"))));
        all.add(new Interaction(
                "button: for me (the confirmation)", lang -> List.of(confirmation(customer(lang), lang))));
        all.add(new Interaction("button: for someone else, picked", lang -> {
            long user = customer(lang);
            long picked = friend();
            return List.of(
                    tap(user, lang, "pick:3"),
                    sendUpdate(TelegramUpdates.from(user)
                                    .updateId(nextUpdateId())
                                    .language(lang)
                                    .usersShared(3, picked, "u" + picked))
                            .statusCode(200)
                            .extract()
                            .response());
        }));
        all.add(new Interaction("button: pay in Stars, twice", lang -> {
            long user = customer(lang);
            String button = data(confirmation(user, lang), "reply_markup.inline_keyboard[0][0].callback_data");
            return List.of(tap(user, lang, button), tap(user, lang, button));
        }));
        all.add(new Interaction("button: have a code?", lang -> {
            long user = customer(lang);
            return List.of(tap(
                    user, lang, data(confirmation(user, lang), "reply_markup.inline_keyboard[1][0].callback_data")));
        }));
        all.add(new Interaction("old button: pay from the wallet", lang -> {
            long user = customer(lang);
            String confirmation = data(confirmation(user, lang), "reply_markup.inline_keyboard[0][0].callback_data");
            return List.of(tap(user, lang, confirmation.replace("ps:", "pw:")));
        }));
        all.add(new Interaction("old button: pay on-chain", lang -> {
            long user = customer(lang);
            String confirmation = data(confirmation(user, lang), "reply_markup.inline_keyboard[0][0].callback_data");
            return List.of(tap(user, lang, confirmation.replace("ps:", "pc:")));
        }));
        all.add(new Interaction("old button: pay in Stars instead", lang -> {
            long user = customer(lang);
            String payload = invoicePayload(user, lang);
            return List.of(tap(user, lang, "so:" + payload.substring("order:".length())));
        }));
        all.add(new Interaction("button: not understood", lang -> List.of(tap(customer(lang), lang, "zz:1"))));
        all.add(new Interaction("checkout refused, checkout approved, paid", lang -> {
            long user = customer(lang);
            String payload = invoicePayload(user, lang);
            return List.of(
                    checkout(user, lang, 999, payload),
                    checkout(user, lang, 1000, payload),
                    paid(user, lang, 1000, payload));
        }));
        all.add(new Interaction("a payment no order can take", lang -> {
            long user = customer(lang);
            return List.of(
                    checkout(user, lang, 1000, "order:NOSUCHORDER1"), paid(user, lang, 1000, "order:NOSUCHORDER1"));
        }));
        return all;
    }

    static Stream<Arguments> everyAnswer() {
        return interactions().stream()
                .flatMap(interaction -> Stream.of("en", "zh-hans").map(lang -> Arguments.of(interaction, lang)));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("everyAnswer")
    void noAnswerShowsUsdtAWalletATopUpOrATronAddress(Interaction interaction, String language) {
        List<Response> answers = interaction.run().apply(language);

        assertFalse(answers.isEmpty());
        for (Response response : answers) {
            String answer = response.asString();
            for (String word : USDT_WORDING) {
                assertFalse(
                        answer.contains(word), interaction + " (" + language + ") showed '" + word + "': " + answer);
            }
        }
    }

    @Test
    void aUsdtCommandGetsAHelpfulAnswer() {
        long user = customer("en");
        for (String command : List.of("/topup 20", "/balance")) {
            sendUpdate(textUpdate(nextUpdateId(), user, "u" + user, "en", command))
                    .body("text", containsString("takes Telegram Stars only"))
                    .body("text", containsString("/buy 3"));
        }
        operator().get("/admin/orders?user=" + user).then().body("items", empty());
    }

    @Test
    void aWalletButtonFromAnOldMessageGetsAHelpfulAnswerAndChargesNothing() {
        long user = customer("en");
        credit(user, "50").statusCode(201);
        String payInStars = data(confirmation(user, "en"), "reply_markup.inline_keyboard[0][0].callback_data");

        press(user, "en", payInStars.replace("ps:", "pw:")).body("text", containsString("takes Telegram Stars only"));

        operator().get("/admin/users/" + user).then().body("balance", is("50.000000"));
        operator().get("/admin/orders?user=" + user).then().body("items", empty());
        // the confirmation wasn't used up: its Stars button still buys
        press(user, "en", payInStars).body("method", is("sendInvoice"));
    }

    @Test
    void theMenuSetByTelegramSetupHasNoUsdtCommand() {
        operatorNamed(ADAM_TOKEN)
                .post("/admin/telegram/setup")
                .then()
                .statusCode(200)
                .body("menus.commands.flatten().command", everyItem(not(oneOf("topup", "balance", "referrals"))))
                .body(
                        "menus.find { it.languageCode == null }.commands.command",
                        hasItems("start", "buy", "orders", "help"))
                .body("menus.commands.flatten().description", everyItem(not(containsString("USDT"))));
    }

    @Test
    void theOperatorStillServesAnExistingWallet() {
        long user = customer("en");
        credit(user, "5").statusCode(201).body("entry.amount", is("5.000000"));
        operator().get("/admin/users/" + user).then().body("balance", is("5.000000"));
    }
}
