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
public record PurchaseIntent(Months months, Long recipientId, String recipientUsername, Step step) {

    public enum Step {
        /** Show the confirmation with the ways to pay. */
        CONFIRM,
        /** {@code /buy} typed in full: pay from the wallet if it covers the price, else on-chain. */
        PAY_AUTO,
        PAY_WALLET,
        PAY_CHAIN,
        PAY_STARS
    }

    /** Callback data of the buttons: {@code <step>:<months>:<recipientId>}. */
    static String button(Step step, Months months, long recipientId) {
        String prefix = switch (step) {
            case CONFIRM -> "to";
            case PAY_WALLET -> "pw";
            case PAY_CHAIN -> "pc";
            case PAY_STARS -> "ps";
            case PAY_AUTO -> throw new IllegalArgumentException("no button pays automatically");
        };
        return prefix + ":" + months.count() + ":" + recipientId;
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
        if (message.usersShared() != null && message.usersShared().users() != null && !message.usersShared().users().isEmpty()) {
            SharedUser picked = message.usersShared().users().get(0);
            return Months.of(message.usersShared().requestId())
                    .map(months -> new PurchaseIntent(months, picked.userId(), picked.username(), Step.CONFIRM));
        }
        if (message.text() == null || message.text().length() > BotCommand.MAX_TEXT_LENGTH) {
            return Optional.empty();
        }
        BotCommand command = BotCommand.parse(message.text());
        if (command == null || !command.name().equals("buy") || command.arguments().isEmpty() || command.arguments().size() > 2) {
            return Optional.empty();
        }
        Optional<Months> months = months(command.argument(0));
        String recipient = command.argument(1);
        if (months.isEmpty()) {
            return Optional.empty();
        }
        if (recipient == null) {
            return Optional.of(new PurchaseIntent(months.get(), message.from().id(), message.from().username(), Step.PAY_AUTO));
        }
        String username = recipient.startsWith("@") ? recipient.substring(1) : recipient;
        return Optional.of(new PurchaseIntent(months.get(), null, username, Step.PAY_AUTO));
    }

    private static Optional<PurchaseIntent> ofButton(CallbackQuery query) {
        String[] parts = query.data().split(":");
        if (parts.length != 3 || !parts[2].matches("\\d{1,19}")) {
            return Optional.empty();
        }
        Step step = switch (parts[0]) {
            case "to" -> Step.CONFIRM;
            case "pw" -> Step.PAY_WALLET;
            case "pc" -> Step.PAY_CHAIN;
            case "ps" -> Step.PAY_STARS;
            default -> null;
        };
        Optional<Months> months = months(parts[1]);
        if (step == null || months.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PurchaseIntent(months.get(), Long.parseLong(parts[2]), null, step));
    }

    static Optional<Months> months(String text) {
        return text != null && text.matches("\\d{1,2}") ? Months.of(Integer.parseInt(text)) : Optional.empty();
    }
}
