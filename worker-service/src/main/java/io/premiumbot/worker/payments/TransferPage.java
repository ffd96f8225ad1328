package io.premiumbot.worker.payments;

import java.util.List;
import java.util.Optional;

/** One page of TronGrid's answer; {@code fingerprint} present when more pages follow. */
public record TransferPage(List<Trc20Transfer> transfers, Optional<String> fingerprint) {}
