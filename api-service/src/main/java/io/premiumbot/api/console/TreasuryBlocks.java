package io.premiumbot.api.console;

import io.premiumbot.api.treasury.StarTopUps;
import io.premiumbot.api.treasury.StarTransactions;
import io.premiumbot.api.treasury.TopUpConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads the {@link TreasuryBlock}. */
@ApplicationScoped
class TreasuryBlocks {

    private static final int SHOWN = 200;

    private final StarTransactions transactions;
    private final StarTopUps topUps;
    private final TopUpConfig config;

    TreasuryBlocks(StarTransactions transactions, StarTopUps topUps, TopUpConfig config) {
        this.transactions = transactions;
        this.topUps = topUps;
        this.config = config;
    }

    Uni<TreasuryBlock> read() {
        return transactions
                .list(false, SHOWN)
                .flatMap(latest -> transactions
                        .list(true, SHOWN)
                        .flatMap(waiting -> topUps.recent(20)
                                .map(recent -> new TreasuryBlock(
                                        latest, waiting.size(), recent, config.minStars(), config.maxStars()))));
    }
}
