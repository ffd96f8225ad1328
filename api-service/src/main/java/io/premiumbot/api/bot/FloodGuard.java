package io.premiumbot.api.bot;

import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.config.ConfigMapping;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Per-user flood protection: at most {@code limit} updates in a fixed window. Redis being unreachable must not
 * take the shop down with it, so the guard then lets updates through (and says so in the log).
 */
@ApplicationScoped
public class FloodGuard {

    private static final Logger LOG = Logger.getLogger(FloodGuard.class);

    @ConfigMapping(prefix = "bot.flood")
    public interface Limits {
        int limit();

        Duration window();
    }

    /** One round trip: count this update in the user's current window, which expires by itself. */
    private static final String COUNT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
            return n""";

    public enum Verdict {
        ALLOW,
        /** The first update over the limit: tell the user once. */
        WARN,
        DROP
    }

    private final ReactiveRedisDataSource redis;
    private final Limits limits;

    public FloodGuard(ReactiveRedisDataSource redis, Limits limits) {
        this.redis = redis;
        this.limits = limits;
    }

    public Uni<Verdict> admit(long userId) {
        long windowSeconds = Math.max(1, limits.window().toSeconds());
        long window = Instant.now().getEpochSecond() / windowSeconds;
        String key = "flood:" + userId + ":" + window;
        return redis.execute("EVAL", COUNT, "1", key, String.valueOf(windowSeconds * 2))
                .map(Response::toLong)
                .map(count -> count <= limits.limit()
                        ? Verdict.ALLOW
                        : count == limits.limit() + 1 ? Verdict.WARN : Verdict.DROP)
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf(
                            "event=flood_guard_unavailable userId=%d cause=%s",
                            userId, failure.getClass().getSimpleName());
                    return Verdict.ALLOW;
                });
    }
}
