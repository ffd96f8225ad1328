package io.premiumbot.api.console;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** The console's words for broadcasts, in English; Chinese in {@code messages/broadcast_zh.properties}. */
@MessageBundle(value = "broadcast", locale = "en")
public interface BroadcastMessages {

    @Message("Broadcasts")
    String nav();

    @Message(
            "An announcement to your customers, one text per language the bot speaks. It goes out only from what gifts and customers' notifications leave of the Telegram budget (at most about 9 messages a second), so a large audience takes minutes; each customer gets it at most once. Customers who blocked the bot or sent /stop are left out.")
    String explain();

    @Message("New broadcast")
    String compose();

    @Message("Text ({language})")
    String textIn(String language);

    @Message("Audience")
    String audience();

    @Message("All customers")
    String audienceAll();

    @Message("Buyers (a delivered order)")
    String audienceBuyers();

    @Message("No purchase in the last N days")
    String audienceLapsed();

    @Message("Days (for no purchase)")
    String lapsedDays();

    @Message("Save draft")
    String createButton();

    @Message("No broadcasts yet.")
    String none();

    @Message("Open")
    String open();

    @Message("Status")
    String status();

    @Message("Created")
    String created();

    @Message("Recipients")
    String recipients();

    @Message("customers now")
    String customersNow();

    @Message("Preview in my Telegram")
    String preview();

    @Message("My Telegram chat id")
    String previewChat();

    @Message("Previewed")
    String previewed();

    @Message("Preview it in your own Telegram before sending.")
    String notPreviewed();

    @Message("Send to {customers} customers")
    String send(long customers);

    @Message("Cancel")
    String cancel();

    @Message("Progress")
    String progress();

    @Message("Sent")
    String sent();

    @Message("Failed")
    String failed();

    @Message("Blocked the bot")
    String blocked();

    @Message("Left")
    String left();

    @Message("Skipped (opted out or blocked since)")
    String skipped();

    @Message("Cancelled")
    String cancelledCount();

    @Message("Failed includes messages whose outcome is unknown (no answer from Telegram): they are never sent twice.")
    String unknownNote();

    @Message("draft")
    String statusDraft();

    @Message("sending")
    String statusSending();

    @Message("done")
    String statusDone();

    @Message("cancelled")
    String statusCancelled();

    @Message("All broadcasts")
    String back();
}
