package io.premiumbot.worker.payments;

import java.time.Instant;

import io.premiumbot.testkit.FakeTronGrid.Transfer;

/** A fake TronGrid transfer as the poller hands it to {@link IncomingTransfers#book}: the first of its kind in its transaction. */
final class PolledTransfers {

    private PolledTransfers() {}

    static TransferEvent of(Transfer t) {
        return TransferEvent.first(new Trc20Transfer(
                t.transactionId(),
                t.tokenAddress(),
                t.tokenSymbol(),
                t.tokenDecimals(),
                Instant.ofEpochMilli(t.blockTimestamp()),
                t.from(),
                t.to(),
                t.type(),
                t.value()));
    }

    /** The event id the poller books a lone transfer under ({@code <hash>:<from>:<micros>:1}). */
    static String eventId(Transfer t) {
        return of(t).id();
    }
}
