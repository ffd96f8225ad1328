package io.premiumbot.worker.telegram;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.premiumbot.model.order.Months;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What we know of the bot's Stars. A BALANCE_TOO_LOW answer pauses deliveries (orders stay PAID); they
 * resume when a refresh shows enough Stars, or after the pause lapses so that one gift probes again.
 */
@ApplicationScoped
public class StarsBalance {

    private final AtomicLong lastKnown = new AtomicLong(-1);
    private final AtomicLong neededStars = new AtomicLong(0);
    private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.EPOCH);
    private final Duration pauseFor;
    private final Duration recheckEvery;

    public StarsBalance(MeterRegistry registry, StarsConfig config) {
        this.pauseFor = config.pauseFor();
        this.recheckEvery = config.recheckEvery();
        Gauge.builder("premium.telegram.stars.balance", lastKnown, AtomicLong::get)
                .description("The bot's Stars balance at the last refresh (-1 before the first)")
                .register(registry);
        Gauge.builder("premium.delivery.paused", this, balance -> balance.isPaused() ? 1 : 0)
                .description("1 while deliveries wait for Stars")
                .register(registry);
    }

    public void pause(int starsNeeded) {
        neededStars.set(starsNeeded);
        pausedUntil.set(Instant.now().plus(pauseFor));
    }

    public boolean isPaused() {
        return Instant.now().isBefore(pausedUntil.get());
    }

    /** How long a held-back job waits before it looks again; never past the pause itself. */
    public Duration recheckEvery() {
        return recheckEvery.compareTo(pauseFor) < 0 ? recheckEvery : pauseFor;
    }

    /** False while deliveries are paused or the last refresh showed fewer Stars than the cheapest gift. */
    public boolean canCoverAGift() {
        long known = lastKnown.get();
        return !isPaused() && (known < 0 || known >= Months.THREE.stars());
    }

    public void refreshed(long balance) {
        lastKnown.set(balance);
        if (balance >= neededStars.get()) {
            pausedUntil.set(Instant.EPOCH);
        }
    }
}
