package io.premiumbot.api.console;

import java.util.List;

import io.premiumbot.api.treasury.StarTopUp;
import io.premiumbot.api.treasury.StarTransactions;

/**
 * The Stars page's treasury part, read from PostgreSQL: the imported transactions (newest first), how many
 * unexplained ones wait for an operator, the latest top-ups and the bounds of a top-up.
 */
public record TreasuryBlock(
        List<StarTransactions.Listed> transactions, long waiting, List<StarTopUp> topUps, int minStars, int maxStars) {}
