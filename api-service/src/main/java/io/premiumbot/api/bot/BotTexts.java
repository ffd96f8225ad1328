package io.premiumbot.api.bot;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/** The bot's words, in the user's Telegram language where we have it (English and Chinese), else English. */
public final class BotTexts {

    private static final ResourceBundle ENGLISH = ResourceBundle.getBundle("bot.texts", Locale.ROOT);
    private static final ResourceBundle CHINESE = ResourceBundle.getBundle("bot.texts", Locale.CHINESE);

    private final ResourceBundle bundle;
    private final Locale locale;

    private BotTexts(ResourceBundle bundle, Locale locale) {
        this.bundle = bundle;
        this.locale = locale;
    }

    public static BotTexts forLanguage(String languageCode) {
        if (languageCode != null && languageCode.toLowerCase(Locale.ROOT).startsWith("zh")) {
            return new BotTexts(CHINESE, Locale.CHINESE);
        }
        return new BotTexts(ENGLISH, Locale.ENGLISH);
    }

    public String get(String key, Object... arguments) {
        // always through MessageFormat, so every text escapes its apostrophes the same way ('')
        return new MessageFormat(bundle.getString(key), locale).format(arguments);
    }
}
