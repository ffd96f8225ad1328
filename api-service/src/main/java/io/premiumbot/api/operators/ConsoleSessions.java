package io.premiumbot.api.operators;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.model.queue.QueueKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Console sign-ins, kept in Redis under the hash of the cookie's value (a leaked key list opens no session), each
 * with its own CSRF token. Signing out deletes the session; it also ends by itself after {@code console.session-ttl}.
 */
@ApplicationScoped
public class ConsoleSessions {

    private static final String PREFIX = QueueKeys.HASH_TAG + ":console:session:";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A live sign-in: who, and the token every form must carry back. */
    public record Session(String operatorName, String csrfToken) {}

    /** What the browser gets: the cookie value (shown to nobody else) and the session it opens. */
    public record Opened(String cookieValue, Session session) {}

    private final ReactiveValueCommands<String, String> values;
    private final ApiConfig.Console console;

    public ConsoleSessions(ReactiveRedisDataSource redis, ApiConfig.Console console) {
        this.values = redis.value(String.class, String.class);
        this.console = console;
    }

    public Uni<Opened> open(Account account) {
        String cookie = randomToken();
        Session session = new Session(account.name(), randomToken());
        return values.setex(
                        key(cookie),
                        console.sessionTtl().toSeconds(),
                        session.operatorName() + " " + session.csrfToken())
                .replaceWith(new Opened(cookie, session));
    }

    public Uni<Optional<Session>> find(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 128) {
            return Uni.createFrom().item(Optional.empty());
        }
        return values.get(key(cookieValue)).map(stored -> {
            if (stored == null) {
                return Optional.empty();
            }
            int space = stored.indexOf(' ');
            return Optional.of(new Session(stored.substring(0, space), stored.substring(space + 1)));
        });
    }

    public Uni<Void> close(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return values.getdel(key(cookieValue)).replaceWithVoid();
    }

    private static String key(String cookieValue) {
        return PREFIX + OperatorDirectory.hashHex(cookieValue);
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
