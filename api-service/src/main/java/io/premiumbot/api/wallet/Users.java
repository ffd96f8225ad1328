package io.premiumbot.api.wallet;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Users the bot has seen: registered (or refreshed) from every update they send. */
@ApplicationScoped
public class Users {

    private final Pool pool;

    public Users(Pool pool) {
        this.pool = pool;
    }

    private static final String UPSERT = """
            insert into users (telegram_id, username, first_name, language_code, balance_micros, created_at, updated_at)
            values (?1, ?2, ?3, ?4, 0, now(), now())
            on conflict (telegram_id) do update
               set username = excluded.username, first_name = excluded.first_name,
                   language_code = excluded.language_code, updated_at = now(), bot_blocked_at = null""";

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

    private static final String SEEN_AS = """
            select telegram_id from users where lower(username) = lower($1) order by updated_at desc limit $2""";

    /**
     * Outside any transaction, on the SQL client: the users the bot has seen under a username, most recently seen
     * first (usernames move between accounts, so several may carry it here; only Telegram can say who holds it now).
     */
    public Uni<List<Long>> seenAs(String username, int limit) {
        return pool.preparedQuery(SEEN_AS).execute(Tuple.of(username, limit)).map(rows -> {
            List<Long> ids = new ArrayList<>();
            rows.forEach(row -> ids.add(row.getLong(0)));
            return ids;
        });
    }

    private static final String RENAMED = """
            update users set username = ?3, updated_at = now()
            where telegram_id = ?1 and lower(username) = lower(?2)""";

    /**
     * Within the caller's transaction: Telegram reports this user under another username now (null: none), so the
     * stale one stops leading to them. Only while we still hold the stale one: an update they sent since is fresher.
     */
    public Uni<Void> renamed(long telegramId, String staleUsername, String currentUsername) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(RENAMED)
                        .setParameter(1, telegramId)
                        .setParameter(2, staleUsername)
                        .setParameter(3, currentUsername)
                        .executeUpdate())
                .replaceWithVoid();
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
