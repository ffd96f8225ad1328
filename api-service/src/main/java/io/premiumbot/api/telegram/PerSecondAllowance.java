package io.premiumbot.api.telegram;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls to Telegram that send no message (getChat, answerCallbackQuery) are outside the 30 messages/s sending budget
 * the gifts use; each kind still gets a bound of its own, per replica: at most {@code perSecond} calls in a wall-clock
 * second. Taken without waiting: past it, the caller goes on without the call.
 */
public final class PerSecondAllowance {

    private final int perSecond;
    /** The wall-clock second being counted and the calls made in it, packed: second << 20 | calls. */
    private final AtomicLong window = new AtomicLong();

    public PerSecondAllowance(String name, int perSecond) {
        if (perSecond < 1 || perSecond >= 1 << 20) {
            throw new IllegalArgumentException(name + " must be 1..1048575, was " + perSecond);
        }
        this.perSecond = perSecond;
    }

    /** One more call in this wall-clock second, if the bound allows it. */
    public boolean tryTake() {
        long second = System.currentTimeMillis() / 1000;
        while (true) {
            long current = window.get();
            long calls = current >>> 20 == second ? current & 0xFFFFF : 0;
            if (calls >= perSecond) {
                return false;
            }
            if (window.compareAndSet(current, second << 20 | (calls + 1))) {
                return true;
            }
        }
    }
}
