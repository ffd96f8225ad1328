package io.premiumbot.api.console;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** The console's words in English; Chinese in {@code messages/msg_zh.properties}. Used as {@code {msg:key}}. */
@MessageBundle(value = "msg", locale = "en")
public interface ConsoleMessages {

    @Message("Operator console")
    String title();

    @Message("Sign in")
    String signIn();

    @Message("Operator token")
    String tokenLabel();

    @Message("That token is not an operator's. Try again.")
    String signInRefused();

    @Message("Sign out")
    String signOut();

    @Message("Signed in as")
    String signedInAs();

    @Message("Needs attention")
    String navAttention();

    @Message("Orders")
    String navOrders();

    @Message("Customers")
    String navUsers();

    @Message("Prices")
    String navPrices();

    @Message("Unmatched payments")
    String navPayments();

    @Message("Dead letters")
    String navJobs();

    @Message("Audit log")
    String navAudit();

    @Message("Stars")
    String navStars();

    @Message("Done. It is in the audit log under your name.")
    String done();

    @Message("Delivery unknown: check with Telegram, then decide")
    String unknownOrders();

    @Message("Failed: refund or retry")
    String failedOrders();

    @Message("Paid but not moving for 10 minutes (deliveries paused or job lost)")
    String waitingOrders();

    @Message("Dead letters")
    String deadJobs();

    @Message("Unmatched payments")
    String unmatchedPayments();

    @Message("Nothing here.")
    String nothing();

    @Message("Order")
    String order();

    @Message("Status")
    String status();

    @Message("Buyer")
    String buyer();

    @Message("Recipient")
    String recipient();

    @Message("Months")
    String months();

    @Message("Price")
    String price();

    @Message("Paid with")
    String payMethod();

    @Message("Created")
    String created();

    @Message("Updated")
    String updated();

    @Message("Failure")
    String failure();

    @Message("Search")
    String search();

    @Message("any status")
    String allStatuses();

    @Message("Telegram id")
    String userId();

    @Message("Delivery attempts")
    String attempts();

    @Message("Attempt")
    String attempt();

    @Message("Worker")
    String worker();

    @Message("Started")
    String started();

    @Message("Finished")
    String finished();

    @Message("Outcome")
    String outcome();

    @Message("Error")
    String error();

    @Message("Ledger")
    String ledger();

    @Message("Amount")
    String amount();

    @Message("Balance after")
    String balanceAfter();

    @Message("Reason")
    String reason();

    @Message("Reference")
    String reference();

    @Message("Audit")
    String audit();

    @Message("Action")
    String action();

    @Message("Target")
    String target();

    @Message("Operator")
    String operator();

    @Message("Details")
    String details();

    @Message("When")
    String when();

    @Message("Actions")
    String actions();

    @Message("It was delivered")
    String resolveDelivered();

    @Message("Not delivered: deliver again")
    String resolveNotDelivered();

    @Message("Give up (fails, then refund)")
    String resolveFailed();

    @Message("Deliver again")
    String retry();

    @Message("Refund to the buyer")
    String refund();

    @Message("No action for this status.")
    String noActions();

    @Message("Retry is unavailable, and the refund is already on its way:")
    String retryUnavailable();

    @Message("Telegram id or @username")
    String userQuery();

    @Message("Username")
    String username();

    @Message("Name")
    String name();

    @Message("Language")
    String language();

    @Message("Balance")
    String balance();

    @Message("Adjust the wallet")
    String adjust();

    @Message("Positive credits, negative debits, e.g. 5.000000 or -2.5")
    String adjustHelp();

    @Message("Save")
    String save();

    @Message("Stars")
    String stars();

    @Message("Set")
    String setPrice();

    @Message("Stars price")
    String starPrice();

    @Message("Gift cost (Telegram)")
    String giftCost();

    @Message("Gift held until")
    String heldUntil();

    @Message("the chargeback guard holds a new buyer's Stars order")
    String heldWhy();

    @Message("Provider")
    String provider();

    @Message("Transaction")
    String externalId();

    @Message("From")
    String from();

    @Message("Assign to Telegram id")
    String assignTo();

    @Message("Assign")
    String assign();

    @Message("Job")
    String job();

    @Message("Requeue")
    String requeue();

    @Message("unreadable payload")
    String unreadable();

    @Message("Filter")
    String filter();

    @Message("The bot's Stars balance")
    String starBalance();

    @Message("Star treasury")
    String treasury();

    @Message("The worker has not read the bot's Stars balance yet: nothing is sold until it has.")
    String treasuryUnread();

    @Message("Balance (Stars)")
    String treasuryBalance();

    @Message("read at")
    String treasuryReadAt();

    @Message("Reserved")
    String treasuryReserved();

    @Message("{paid} for paid orders, {unpaid} held by unpaid orders, {spent} spent since the read")
    String treasuryReservedParts(long paid, long unpaid, long spent);

    @Message("Safety margin")
    String treasuryMargin();

    @Message("Available to sell")
    String treasuryAvailable();

    @Message("Sold out: not every plan can be sold. Top up the bot's Stars.")
    String treasurySoldOut();

    @Message("Runway (hours)")
    String treasuryRunway();

    @Message("at the last 24 hours' gift spend")
    String treasuryRunwayNote();

    @Message("Latest Star transactions, newest first")
    String starTransactions();

    @Message("Only the most recent history was read.")
    String olderSkipped();

    @Message("Kind")
    String kind();

    @Message("That did not work")
    String problem();

    @Message("Back")
    String back();

    @Message("Your role is read-only.")
    String roleViewerNote();

    @Message("Admins only.")
    String adminOnly();
}
