package io.premiumbot.api.console;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** The console's words for the Star treasury, in English; Chinese in {@code messages/treasury_zh.properties}. */
@MessageBundle(value = "treasury", locale = "en")
public interface TreasuryMessages {

    @Message("Star transactions, as imported and classified")
    String imported();

    @Message("Nothing imported yet: the worker imports the bot's Star transactions every minute.")
    String nothingImported();

    @Message("Unexplained movements waiting for you: {count}")
    String waiting(long count);

    @Message(
            "Our records don't explain these Stars (a chargeback, a withdrawal, paid broadcasts, ads, a business transfer, a kind we don't know). Find out what happened, then acknowledge each one with a note: the alert clears.")
    String waitingHelp();

    @Message("Class")
    String kind();

    @Message("Explained by")
    String explainedBy();

    @Message("Acknowledge")
    String acknowledge();

    @Message("What was it?")
    String note();

    @Message("acknowledged by {who}")
    String acknowledgedBy(String who);

    @Message("top-up #{id}")
    String topUpRef(long id);

    @Message("Top up the bot's Stars")
    String topUp();

    @Message(
            "Sends your own Telegram account an invoice in Stars ({min}–{max}); when you pay it, the Stars go to the bot's balance. Not an order, no wallet credit.")
    String topUpHelp(int min, int max);

    @Message("Stars")
    String stars();

    @Message("Send the invoice")
    String sendInvoice();

    @Message("Top-ups")
    String topUps();

    @Message("Status")
    String status();

    @Message("Operator")
    String operator();
}
