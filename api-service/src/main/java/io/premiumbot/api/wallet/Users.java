package io.premiumbot.api.wallet;

import io.premiumbot.model.user.User;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Users the bot has seen: registered (or refreshed) from every update they send. */
@ApplicationScoped
public class Users {

    private static final String UPSERT = """
            insert into users (telegram_id, username, first_name, language_code, balance_micros, created_at, updated_at)
            values (?1, ?2, ?3, ?4, 0, now(), now())
            on conflict (telegram_id) do update
               set username = excluded.username, first_name = excluded.first_name,
                   language_code = excluded.language_code, updated_at = now()""";

    /**
     * Within the caller's transaction. A statement without a result: Hibernate's plan cache never matches a native
     * select whose columns it discovered itself, so each call of one would add an entry (see bench/README.md §1).
     */
    public Uni<Void> register(long telegramId, String username, String firstName, String languageCode) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(UPSERT)
                        .setParameter(1, telegramId)
                        .setParameter(2, username)
                        .setParameter(3, truncate(firstName, 256))
                        .setParameter(4, truncate(languageCode, 16))
                        .executeUpdate())
                .replaceWithVoid();
    }

    private static final String REMEMBER = """
            insert into users (telegram_id, username, balance_micros, created_at, updated_at)
            values (?1, ?2, 0, now(), now())
            on conflict (telegram_id) do update set username = coalesce(excluded.username, users.username)
            returning (xmax = 0)""";

    /** Within the caller's transaction: a user someone else picked as a recipient becomes known to the bot. */
    public Uni<Boolean> remember(long telegramId, String username) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(REMEMBER, Boolean.class)
                        .setParameter(1, telegramId)
                        .setParameter(2, username)
                        .getSingleResult());
    }

    /** The most recent holder of a username (usernames move between accounts). */
    public Uni<User> byUsername(String username) {
        return User.<User>find("lower(username) = lower(?1) order by updatedAt desc", username)
                .firstResult();
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
