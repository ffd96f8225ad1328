package io.premiumbot.worker.payments;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Where TronGrid is and which transfers count (env names in application.properties). The API key is a secret: never logged. */
@ConfigMapping(prefix = "tron")
public interface TronConfig {

    String apiUrl();

    /** The shop's receive address; no polling while it is unset. */
    Optional<String> receiveAddress();

    /** The only token accepted as USDT: matched by contract address, never by symbol. */
    String usdtContract();

    /** Sent as {@code TRON-PRO-API-KEY} when set. */
    Optional<String> apiKey();

    /** Transfers per page (TronGrid allows 1 to 200). */
    int pageSize();

    /** Pages read at most per poll; the rest waits for the next tick. */
    int maxPagesPerPoll();

    /** How far before the cursor each poll reads again, for transfers TronGrid indexed late. */
    Duration overlap();

    /** Where the very first poll of an address starts, counted back from now. */
    Duration initialLookback();

    Duration requestTimeout();
}
