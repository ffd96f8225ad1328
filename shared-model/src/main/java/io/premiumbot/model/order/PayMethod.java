package io.premiumbot.model.order;

/** How an order was (or is to be) paid. */
public enum PayMethod {
    WALLET,
    TRC20,
    STARS
}
