package io.premiumbot.model.i18n;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/** Customer-facing words from a message bundle, in the user's Telegram language where we have it (en, zh), else English. */
public final class Texts {

    /** The languages the bot speaks, by the code {@link #language} gives; English first, the fallback. */
    public static final List<String> LANGUAGES = List.of("en", "zh");

    private final ResourceBundle bundle;
    private final Locale locale;

    private Texts(ResourceBundle bundle, Locale locale) {
        this.bundle = bundle;
        this.locale = locale;
    }

    /** {@code bundle} is a base name such as {@code bot.texts}; {@code languageCode} Telegram's, e.g. {@code zh-hans}. */
    public static Texts of(String bundle, String languageCode) {
        boolean chinese = language(languageCode).equals("zh");
        Locale locale = chinese ? Locale.CHINESE : Locale.ENGLISH;
        return new Texts(ResourceBundle.getBundle(bundle, chinese ? Locale.CHINESE : Locale.ROOT), locale);
    }

    /** Which of {@link #LANGUAGES} a Telegram language code (e.g. {@code zh-hans}, or null) is answered in. */
    public static String language(String languageCode) {
        return languageCode != null && languageCode.toLowerCase(Locale.ROOT).startsWith("zh") ? "zh" : "en";
    }

    public String get(String key, Object... arguments) {
        // always through MessageFormat, so every text escapes its apostrophes the same way ('')
        return new MessageFormat(bundle.getString(key), locale).format(arguments);
    }
}
