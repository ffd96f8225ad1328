package io.premiumbot.api.bot;

import io.premiumbot.model.i18n.Texts;

/** The bot's words ({@code bot/texts*.properties}), in the user's Telegram language where we have it, else English. */
public final class BotTexts {

    private final Texts texts;

    private BotTexts(Texts texts) {
        this.texts = texts;
    }

    public static BotTexts forLanguage(String languageCode) {
        return new BotTexts(Texts.of("bot.texts", languageCode));
    }

    public String get(String key, Object... arguments) {
        return texts.get(key, arguments);
    }
}
