package io.premiumbot.worker.payments;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** How on-chain payment requests end (env names in application.properties). */
@ConfigMapping(prefix = "payments")
public interface PaymentConfig {

    /**
     * How long past its expiry an unpaid order waits before it expires: a transfer made in time may still be
     * confirming or not yet indexed by TronGrid.
     */
    Duration confirmationGrace();
}
