package io.premiumbot.model.ledger;

/** Why a balance changed; stored on every ledger entry. */
public enum LedgerReason {
    /** Money the operator added or removed by hand, with a written reason. */
    ADJUSTMENT,
    /** An incoming payment (on-chain transfer) credited to the payer. */
    DEPOSIT,
    /** The price of an order taken from the wallet. */
    ORDER_PAYMENT,
    /** The price of an order that Telegram refused, returned. */
    REFUND,
    /** A referrer's share of a delivered order paid in USDT by a customer they brought. */
    REFERRAL
}
