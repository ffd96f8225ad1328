package io.premiumbot.api.console;

import io.premiumbot.api.payments.StarSupply;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The Stars the home page shows as available: what the purchases themselves may still sell, from the treasury
 * PostgreSQL keeps (the worker's last balance read minus what is reserved and the safety margin), so the home page
 * never waits for Telegram. Its own small piece (and template fragment {@code console/starsavailable}).
 */
@ApplicationScoped
public class StarsAvailable {

    private final StarSupply supply;

    public StarsAvailable(StarSupply supply) {
        this.supply = supply;
    }

    /** The Stars available to sell, or null before the worker first read the balance. */
    public Uni<Long> read() {
        return Panache.withSession(supply::view).map(view -> view.balance() == null ? null : view.available());
    }
}
