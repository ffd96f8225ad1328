package io.premiumbot.api.bot;

import java.util.Optional;

import io.premiumbot.api.bot.TelegramTypes.CallbackQuery;
import io.premiumbot.api.bot.TelegramTypes.Message;
import io.premiumbot.api.bot.TelegramTypes.SharedUser;
import io.premiumbot.api.bot.TelegramTypes.Update;
import io.premiumbot.model.order.Months;

/**
 * A purchase step an update asks for, whose recipient must be checked with Telegram before anything is
 * written: the text command {@code /buy 3 [@user]}, a recipient picked with the user picker, or a button.
 */
public record PurchaseIntent(
        Months months, Long recipientId, String recipientUsername, Step step, Long confirmationId) {

    PurchaseIntent(Months months, Long recipientId, String recipientUsername, Step step) {
        this(months, recipientId, recipientUsername, step, null);
    }

    public enum Step {
        /** Show the confirmation with the ways to pay. */
        CONFIRM,
        /**
         * {@code /buy} typed in full for oneself, or the Confirm button of a gift to a typed {@code @username}: pay from
         * the wallet if it covers the price, else on-chain.
         */
        PAY_AUTO,
        PAY_WALLET,
        PAY_CHAIN,
        PAY_STARS
    }

    /** Callback data of the "who for" button: {@code to:<months>:<recipientId>}. */
    static String confirmButton(Months months, long recipientId) {
        return "to:" + months.count() + ":" + recipientId;
    }

    /**
     * Callback data of a pay button: {@code <pw|pc|ps|pa>:<months>:<recipientId>:<confirmationId>}, at most 46 bytes
     * (Telegram allows 64); {@code pa} is a gift confirmation's Confirm. The confirmation is what makes two taps one
     * purchase at the price shown.
     */
    static String payButton(Step step, Months months, long recipientId, long confirmationId) {
        String prefix = switch (step) {
            case PAY_WALLET -> "pw";
            case PAY_CHAIN -> "pc";
            case PAY_STARS -> "ps";
            case PAY_AUTO -> "pa";
            case CONFIRM -> throw new IllegalArgumentException("not a pay button: " + step);
        };
        return prefix + ":" + months.count() + ":" + recipientId + ":" + confirmationId;
    }

    public static Optional<PurchaseIntent> of(Update update) {
        if (update.message() != null && update.message().from() != null) {
            return ofMessage(update.message());
        }
        if (update.callbackQuery() != null && update.callbackQuery().data() != null) {
            return ofButton(update.callbackQuery());
        }
        return Optional.empty();
    }

    private static Optional<PurchaseIntent> ofMessage(Message message) {
        if (message.usersShared() != null
                && message.usersShared().users() != null
                && !message.usersShared().users().isEmpty()) {
            SharedUser picked = message.usersShared().users().get(0);
            return Months.of(message.usersShared().requestId())
                    .map(months -> new PurchaseIntent(months, picked.userId(), picked.username(), Step.CONFIRM));
        }
        if (message.text() == null || message.text().length() > BotCommand.MAX_TEXT_LENGTH) {
            return Optional.empty();
        }
        BotCommand command = BotCommand.parse(message.text());
        if (command == null
                || !command.name().equals("buy")
                || command.arguments().isEmpty()
                || command.arguments().size() > 2) {
            return Optional.empty();
        }
        Optional<Months> months = months(command.argument(0));
        String recipient = command.argument(1);
        if (months.isEmpty()) {
            return Optional.empty();
        }
        if (recipient == null) {
            return Optional.of(new PurchaseIntent(
                    months.get(), message.from().id(), message.from().username(), Step.PAY_AUTO));
        }
        String username = recipient.startsWith("@") ? recipient.substring(1) : recipient;
        if (username.equalsIgnoreCase(message.from().username())) {
            // their own name, as Telegram stamped it on this very update: a purchase for oneself
            return Optional.of(new PurchaseIntent(
                    months.get(), message.from().id(), message.from().username(), Step.PAY_AUTO));
        }
        return Optional.of(new PurchaseIntent(months.get(), null, username, Step.PAY_AUTO));
    }

    /** Empty for data that doesn't parse: the press is answered as not understood, never failed. */
    private static Optional<PurchaseIntent> ofButton(CallbackQuery query) {
        String[] parts = query.data().split(":", -1);
        if (parts.length != 3 && parts.length != 4) {
            return Optional.empty();
        }
        Step step = switch (parts[0]) {
            case "to" -> Step.CONFIRM;
            case "pw" -> Step.PAY_WALLET;
            case "pc" -> Step.PAY_CHAIN;
            case "ps" -> Step.PAY_STARS;
            case "pa" -> Step.PAY_AUTO;
            default -> null;
        };
        Optional<Months> months = months(parts[1]);
        Optional<Long> recipient = positiveLong(parts[2]);
        Optional<Long> confirmation = parts.length == 4 ? positiveLong(parts[3]) : Optional.empty();
        if (step == null
                || months.isEmpty()
                || recipient.isEmpty()
                || (parts.length == 4 && (confirmation.isEmpty() || step == Step.CONFIRM))
                // a gift's Confirm exists only with its confirmation
                || (step == Step.PAY_AUTO && confirmation.isEmpty())) {
            return Optional.empty();
        }
        if (confirmation.isEmpty()) {
            // a pay button without its confirmation (sent before confirmations existed) shows a fresh confirmation
            return Optional.of(new PurchaseIntent(months.get(), recipient.get(), null, Step.CONFIRM));
        }
        return Optional.of(new PurchaseIntent(months.get(), recipient.get(), null, step, confirmation.get()));
    }

    /** A positive number that fits a long (Telegram ids, our ids); empty for anything else, e.g. 20 digits. */
    static Optional<Long> positiveLong(String text) {
        if (text == null || !text.matches("\\d{1,19}")) {
            return Optional.empty();
        }
        try {
            long value = Long.parseLong(text);
            return value > 0 ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Optional<Months> months(String text) {
        return text != null && text.matches("\\d{1,2}") ? Months.of(Integer.parseInt(text)) : Optional.empty();
    }
}
