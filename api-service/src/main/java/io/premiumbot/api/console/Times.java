package io.premiumbot.api.console;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;

/**
 * Times as an operator reads them, in the console's time zone and language: {@code today 14:05}, {@code yesterday
 * 09:12}, {@code 7 Dec 14:05}, {@code 7 Dec 2025 14:05} ({@code 12月7日 14:05} in Chinese). Used as
 * {@code {order.createdAt.human(page)}}; the exact instant stays in the element's {@code datetime}.
 */
@TemplateExtension
public final class Times {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter EN_DAY = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter EN_DATE = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter ZH_DAY = DateTimeFormatter.ofPattern("M月d日 HH:mm", Locale.CHINESE);
    private static final DateTimeFormatter ZH_DATE = DateTimeFormatter.ofPattern("yyyy年M月d日 HH:mm", Locale.CHINESE);

    private Times() {}

    public static String human(Instant instant, Page page) {
        return Format.human(instant, page, Instant.now());
    }

    /** The formatting itself, at a given "now" (not a template extension: tests call it). */
    static final class Format {

        private Format() {}

        static String human(Instant instant, Page page, Instant now) {
            if (instant == null) {
                return "";
            }
            ZonedDateTime at = instant.atZone(page.zone());
            LocalDate today = now.atZone(page.zone()).toLocalDate();
            boolean chinese = "zh".equals(page.lang());
            GlanceMessages words =
                    MessageBundles.get(GlanceMessages.class, Localized.Literal.of(chinese ? "zh" : "en"));
            if (at.toLocalDate().equals(today)) {
                return words.today() + " " + CLOCK.format(at);
            }
            if (at.toLocalDate().equals(today.minusDays(1))) {
                return words.yesterday() + " " + CLOCK.format(at);
            }
            boolean thisYear = at.getYear() == today.getYear();
            DateTimeFormatter format = chinese ? (thisYear ? ZH_DAY : ZH_DATE) : (thisYear ? EN_DAY : EN_DATE);
            return format.format(at);
        }
    }
}
