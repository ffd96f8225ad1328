package io.premiumbot.worker.payments;

import java.time.Instant;

/**
 * One TRC20 transfer as TronGrid listed it, unverified: token fields, addresses and value are whatever the
 * answer said ({@code decimals} null when absent); {@link IncomingTransfers} decides whether it is ours.
 */
public record Trc20Transfer(
        String transactionId,
        String tokenAddress,
        String tokenSymbol,
        Integer tokenDecimals,
        Instant blockTime,
        String from,
        String to,
        String type,
        String value) {}
