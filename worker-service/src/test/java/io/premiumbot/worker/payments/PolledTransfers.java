package io.premiumbot.worker.payments;

import java.time.Instant;

import io.premiumbot.testkit.FakeTronGrid.Transfer;

/** A fake TronGrid transfer as the poller hands it to {@link IncomingTransfers#book}. */
final class PolledTransfers {

    private PolledTransfers() {}

    static Trc20Transfer of(Transfer t) {
        return new Trc20Transfer(
                t.transactionId(),
                t.tokenAddress(),
                t.tokenSymbol(),
                t.tokenDecimals(),
                Instant.ofEpochMilli(t.blockTimestamp()),
                t.from(),
                t.to(),
                t.type(),
                t.value());
    }
}
