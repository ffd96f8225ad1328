package io.premiumbot.api.support;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

/**
 * What the bot offers its customers ({@code SHOP_PAYMENT_METHODS}): USDT (wallet, on-chain), Telegram Stars, or both.
 * Made at start, so a value it doesn't know stops the service with the reason instead of selling the wrong way. The
 * operator API and console serve existing wallets whatever this says.
 */
@ApplicationScoped
public class PaymentMethods {

    private static final Logger LOG = Logger.getLogger(PaymentMethods.class);
    private static final Set<String> KNOWN = Set.of("usdt", "stars");

    private final boolean usdt;
    private final boolean stars;

    public PaymentMethods(ApiConfig.Shop shop) {
        Set<String> methods = parse(shop.paymentMethods());
        this.usdt = methods.contains("usdt");
        this.stars = methods.contains("stars");
        LOG.infof("event=payment_methods usdt=%s stars=%s", usdt, stars);
    }

    /** Made at start: a wrong setting stops the service before it takes an update. */
    void check(@Observes Startup startup) {
        LOG.debugf("event=payment_methods_checked usdt=%s stars=%s", usdt, stars);
    }

    /**
     * {@code usdt,stars}, {@code stars} or {@code usdt} (any order, case and spacing); fails with
     * {@link IllegalArgumentException} naming the setting for anything else.
     */
    static Set<String> parse(String configured) {
        Set<String> methods = Arrays.stream(configured == null ? new String[0] : configured.split(","))
                .map(method -> method.strip().toLowerCase(Locale.ROOT))
                .filter(method -> !method.isEmpty())
                .collect(Collectors.toSet());
        if (methods.isEmpty() || !KNOWN.containsAll(methods)) {
            throw new IllegalArgumentException("SHOP_PAYMENT_METHODS must be usdt,stars (both), stars (Stars-only) or"
                    + " usdt, not '" + configured + "'");
        }
        return methods;
    }

    /** The wallet, on-chain payments and {@code /topup} are offered. */
    public boolean usdt() {
        return usdt;
    }

    /** Telegram Stars invoices are offered. */
    public boolean stars() {
        return stars;
    }

    /** Stars-only: no USDT price, wallet, top-up or TRON address anywhere in the bot. */
    public boolean starsOnly() {
        return stars && !usdt;
    }
}
