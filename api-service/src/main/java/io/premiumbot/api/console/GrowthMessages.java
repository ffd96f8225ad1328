package io.premiumbot.api.console;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** The console's words for the owner's growth tools, in English; Chinese in {@code messages/growth_zh.properties}. */
@MessageBundle(value = "growth", locale = "en")
public interface GrowthMessages {

    @Message("Promo codes")
    String navPromo();

    @Message("Code")
    String code();

    @Message("Discount")
    String discount();

    @Message("Plans (months)")
    String plans();

    @Message("Valid (UTC)")
    String valid();

    @Message("Uses")
    String uses();

    @Message("Status")
    String status();

    @Message("list price")
    String listPrice();

    @Message("Discount given")
    String given();

    @Message("No promo codes yet.")
    String none();

    @Message("New promo code")
    String create();

    @Message("Percent off (1-99)")
    String percentOff();

    @Message("or USDT off")
    String amountOff();

    @Message("From (UTC, optional)")
    String validFrom();

    @Message("Until (UTC, optional)")
    String validUntil();

    @Message("Total cap (empty: none)")
    String maxUses();

    @Message("Create")
    String createButton();

    @Message("Disable")
    String disable();

    @Message(
            "Each customer may use a code once. A refunded or expired order gives its use back. The discount comes off the USDT price, and the same share off the Stars price (rounded up to whole Stars), which the bot's Stars pay the difference of.")
    String explain();

    @Message("active")
    String statusActive();

    @Message("not yet valid")
    String statusScheduled();

    @Message("ended")
    String statusEnded();

    @Message("used up")
    String statusUsedUp();

    @Message("disabled")
    String statusDisabled();
}
