package io.premiumbot.api.bot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The parts of Telegram's Update the bot reads; unknown fields are ignored (Telegram adds them often). */
public final class TelegramTypes {

    private TelegramTypes() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Update(@JsonProperty("update_id") Long updateId, Message message,
            @JsonProperty("callback_query") CallbackQuery callbackQuery) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(@JsonProperty("message_id") long messageId, From from, Chat chat, long date, String text) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record From(long id, @JsonProperty("is_bot") boolean isBot, @JsonProperty("first_name") String firstName,
            String username, @JsonProperty("language_code") String languageCode) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Chat(long id, String type) {
        public boolean isPrivate() {
            return "private".equals(type);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CallbackQuery(String id, From from, Message message, String data) {
    }

    /** A Bot API call carried in the webhook response (Telegram executes it; no outgoing request needed). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reply(String method, @JsonProperty("chat_id") Long chatId, String text,
            @JsonProperty("callback_query_id") String callbackQueryId) {

        public static Reply message(long chatId, String text) {
            return new Reply("sendMessage", chatId, text, null);
        }

        public static Reply callbackAnswer(String callbackQueryId, String text) {
            return new Reply("answerCallbackQuery", null, text, callbackQueryId);
        }
    }
}
