package io.premiumbot.api.bot;

import java.util.List;
import java.util.Locale;

/** A text command: {@code /buy@shop_bot 3 @alice} → name {@code buy}, arguments {@code [3, @alice]}. */
public record BotCommand(String name, List<String> arguments) {

    public static final int MAX_TEXT_LENGTH = 256;

    /** The commands Telegram's menu offers, in its order; each has its description {@code command.<name>} in the bot's texts. */
    public static final List<String> MENU =
            List.of("start", "buy", "balance", "topup", "orders", "promo", "referrals", "help", "paysupport");

    /** The commands that only concern the USDT wallet (referral rewards are paid into it): gone from a Stars-only menu. */
    public static final List<String> USDT_ONLY = List.of("balance", "topup", "referrals");

    /** The menu for what the shop offers. */
    public static List<String> menu(boolean starsOnly) {
        return starsOnly
                ? MENU.stream().filter(name -> !USDT_ONLY.contains(name)).toList()
                : MENU;
    }

    /** Null when the text is not a command. */
    public static BotCommand parse(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.strip();
        if (!trimmed.startsWith("/") || trimmed.length() < 2) {
            return null;
        }
        String[] parts = trimmed.split("\\s+");
        String head = parts[0].substring(1);
        int at = head.indexOf('@');
        String name = (at < 0 ? head : head.substring(0, at)).toLowerCase(Locale.ROOT);
        return new BotCommand(name, List.of(parts).subList(1, parts.length));
    }

    public String argument(int index) {
        return index < arguments.size() ? arguments.get(index) : null;
    }
}
