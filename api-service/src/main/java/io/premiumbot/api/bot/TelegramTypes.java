package io.premiumbot.api.bot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The parts of Telegram's Update the bot reads; unknown fields are ignored (Telegram adds them often). */
public final class TelegramTypes {

    private TelegramTypes() {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Update(
            @JsonProperty("update_id") Long updateId,
            Message message,
            @JsonProperty("callback_query") CallbackQuery callbackQuery,
            @JsonProperty("pre_checkout_query") PreCheckoutQuery preCheckoutQuery) {

        /** The kinds of update this record reads: what setWebhook's {@code allowed_updates} asks Telegram for. */
        public static final List<String> KINDS = List.of("message", "callback_query", "pre_checkout_query");

        /** Who sent it, whatever kind of update it is. */
        public From sender() {
            if (message != null) {
                return message.from();
            }
            if (callbackQuery != null) {
                return callbackQuery.from();
            }
            return preCheckoutQuery == null ? null : preCheckoutQuery.from();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(
            @JsonProperty("message_id") long messageId,
            From from,
            Chat chat,
            long date,
            String text,
            @JsonProperty("users_shared") UsersShared usersShared,
            @JsonProperty("successful_payment") SuccessfulPayment successfulPayment) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record From(
            long id,
            @JsonProperty("is_bot") boolean isBot,
            @JsonProperty("first_name") String firstName,
            String username,
            @JsonProperty("language_code") String languageCode) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Chat(long id, String type) {
        public boolean isPrivate() {
            return "private".equals(type);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CallbackQuery(String id, From from, Message message, String data) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UsersShared(@JsonProperty("request_id") int requestId, List<SharedUser> users) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SharedUser(
            @JsonProperty("user_id") long userId,
            String username,
            @JsonProperty("first_name") String firstName) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PreCheckoutQuery(
            String id,
            From from,
            String currency,
            @JsonProperty("total_amount") long totalAmount,
            @JsonProperty("invoice_payload") String invoicePayload) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SuccessfulPayment(
            String currency,
            @JsonProperty("total_amount") long totalAmount,
            @JsonProperty("invoice_payload") String invoicePayload,
            @JsonProperty("telegram_payment_charge_id") String telegramPaymentChargeId) {}

    /** An inline button: its text and the callback data (1-64 bytes) it sends back. */
    public record Button(String text, String data) {}

    /**
     * A Bot API call carried in the webhook response (Telegram executes it; no outgoing request needed):
     * {@code {"method":"sendMessage","chat_id":…,"text":…}} and the like.
     */
    public record Reply(Map<String, Object> call) {

        @JsonValue
        public Map<String, Object> call() {
            return call;
        }

        public String method() {
            return (String) call.get("method");
        }

        /** The call as the webhook response carries it, and as an update keeps it for a replay. */
        public String toJson(ObjectMapper json) {
            try {
                return json.writeValueAsString(this);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a Bot API reply must always serialize", e);
            }
        }

        public static Reply message(long chatId, String text) {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("method", "sendMessage");
            call.put("chat_id", chatId);
            call.put("text", text);
            return new Reply(call);
        }

        /** A message with inline buttons, one row per inner list. */
        public static Reply message(long chatId, String text, List<List<Button>> rows) {
            Reply reply = message(chatId, text);
            List<List<Map<String, String>>> keyboard = rows.stream()
                    .map(row -> row.stream()
                            .map(b -> Map.of("text", b.text(), "callback_data", b.data()))
                            .toList())
                    .toList();
            reply.call.put("reply_markup", Map.of("inline_keyboard", keyboard));
            return reply;
        }

        /** A message whose keyboard offers Telegram's user picker; the choice comes back as users_shared. */
        public static Reply userPicker(long chatId, String text, String buttonText, int requestId) {
            Reply reply = message(chatId, text);
            Map<String, Object> request = Map.of(
                    "request_id",
                    requestId,
                    "user_is_bot",
                    false,
                    "max_quantity",
                    1,
                    "request_username",
                    true,
                    "request_name",
                    true);
            reply.call.put(
                    "reply_markup",
                    Map.of(
                            "keyboard",
                            List.of(List.of(Map.of("text", buttonText, "request_users", request))),
                            "resize_keyboard",
                            true,
                            "one_time_keyboard",
                            true));
            return reply;
        }

        public static Reply callbackAnswer(String callbackQueryId, String text) {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("method", "answerCallbackQuery");
            call.put("callback_query_id", callbackQueryId);
            if (text != null) {
                call.put("text", text);
            }
            return new Reply(call);
        }

        public static Reply answerPreCheckout(String queryId, boolean ok, String errorMessage) {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("method", "answerPreCheckoutQuery");
            call.put("pre_checkout_query_id", queryId);
            call.put("ok", ok);
            if (!ok) {
                call.put("error_message", errorMessage);
            }
            return new Reply(call);
        }

        /** An invoice in Telegram Stars (currency XTR: no provider token, exactly one price). */
        public static Reply starsInvoice(
                long chatId, String title, String description, String payload, String label, long stars) {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("method", "sendInvoice");
            call.put("chat_id", chatId);
            call.put("title", title);
            call.put("description", description);
            call.put("payload", payload);
            call.put("currency", "XTR");
            call.put("prices", List.of(Map.of("label", label, "amount", stars)));
            return new Reply(call);
        }

        public static Reply refundStars(long userId, String chargeId) {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("method", "refundStarPayment");
            call.put("user_id", userId);
            call.put("telegram_payment_charge_id", chargeId);
            return new Reply(call);
        }
    }
}
