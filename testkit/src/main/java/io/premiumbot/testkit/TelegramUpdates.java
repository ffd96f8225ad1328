package io.premiumbot.testkit;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Telegram updates as the Bot API delivers them to a webhook, for api-service tests, the end-to-end tests and the
 * benches: {@code TelegramUpdates.from(user).language("de").text("/start")}. Each update gets a fresh
 * {@code update_id} unless one is given.
 */
public final class TelegramUpdates {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far above what a test sends, and random per JVM: two runs against one database don't collide. */
    private static final AtomicLong UPDATE_IDS =
            new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50));

    private static final long DATE = 1_700_000_000L;

    private final long userId;
    private Long updateId;
    private String firstName = "Tester";
    private String username;
    private String language = "en";

    private TelegramUpdates(long userId) {
        this.userId = userId;
    }

    /** An update from this user, in a private chat with the bot. */
    public static TelegramUpdates from(long userId) {
        return new TelegramUpdates(userId);
    }

    /** The next fresh update id. */
    public static long nextUpdateId() {
        return UPDATE_IDS.incrementAndGet();
    }

    public TelegramUpdates updateId(long id) {
        this.updateId = id;
        return this;
    }

    public TelegramUpdates firstName(String name) {
        this.firstName = name;
        return this;
    }

    /** The user's @username; null for none. */
    public TelegramUpdates username(String name) {
        this.username = name;
        return this;
    }

    /** The user's IETF language tag ({@code language_code}). */
    public TelegramUpdates language(String code) {
        this.language = code;
        return this;
    }

    /** A text message (a command such as {@code /start}, or anything typed). */
    public String text(String text) {
        ObjectNode update = update();
        message(update).put("text", text);
        return update.toString();
    }

    /** A press on an inline button whose {@code callback_data} is {@code data}. */
    public String callback(String data) {
        ObjectNode update = update();
        long id = update.get("update_id").asLong();
        ObjectNode query = update.putObject("callback_query").put("id", "cb" + id);
        from(query);
        ObjectNode menu = query.putObject("message").put("message_id", 1);
        menu.putObject("chat").put("id", userId).put("type", "private");
        menu.put("date", DATE).put("text", "menu");
        query.put("chat_instance", "-1").put("data", data);
        return update.toString();
    }

    /** The user picked {@code picked} with the keyboard's user picker of {@code requestId}. */
    public String usersShared(int requestId, long picked, String pickedUsername) {
        ObjectNode update = update();
        ObjectNode shared = message(update).putObject("users_shared").put("request_id", requestId);
        ObjectNode user = shared.putArray("users").addObject().put("user_id", picked);
        if (pickedUsername != null) {
            user.put("username", pickedUsername);
        }
        return update.toString();
    }

    /** Telegram asks whether a Stars invoice may be paid. */
    public String preCheckout(long stars, String payload) {
        ObjectNode update = update();
        ObjectNode query = update.putObject("pre_checkout_query")
                .put("id", "pcq" + update.get("update_id").asLong());
        from(query);
        query.put("currency", "XTR").put("total_amount", stars).put("invoice_payload", payload);
        return update.toString();
    }

    /** A Stars invoice was paid. */
    public String successfulPayment(long stars, String payload, String chargeId) {
        ObjectNode update = update();
        message(update)
                .putObject("successful_payment")
                .put("currency", "XTR")
                .put("total_amount", stars)
                .put("invoice_payload", payload)
                .put("telegram_payment_charge_id", chargeId)
                .put("provider_payment_charge_id", "");
        return update.toString();
    }

    private ObjectNode update() {
        return JSON.createObjectNode().put("update_id", updateId != null ? updateId : nextUpdateId());
    }

    private ObjectNode message(ObjectNode update) {
        ObjectNode message = update.putObject("message")
                .put("message_id", update.get("update_id").asLong() % 100_000);
        from(message);
        message.putObject("chat").put("id", userId).put("type", "private");
        message.put("date", DATE);
        return message;
    }

    private void from(ObjectNode parent) {
        ObjectNode from =
                parent.putObject("from").put("id", userId).put("is_bot", false).put("first_name", firstName);
        if (username != null) {
            from.put("username", username);
        }
        from.put("language_code", language);
    }
}
