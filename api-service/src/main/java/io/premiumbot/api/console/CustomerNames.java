package io.premiumbot.api.console;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Names the customers a console page lists: one read by primary key for all the ids on the page. */
@ApplicationScoped
public class CustomerNames {

    private static final String NAMES =
            "select telegram_id, username, first_name from users where telegram_id = any($1::bigint[])";

    private final Pool pool;

    public CustomerNames(Pool pool) {
        this.pool = pool;
    }

    public Uni<People> of(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(People.NONE);
        }
        return pool.preparedQuery(NAMES)
                .execute(Tuple.tuple().addArrayOfLong(ids.stream().distinct().toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, People.Customer> known = new HashMap<>();
                    for (Row row : rows) {
                        long id = row.getLong("telegram_id");
                        known.put(
                                id,
                                new People.Customer(id, row.getString("first_name"), row.getString("username"), true));
                    }
                    return new People(known);
                });
    }

    /** The Telegram id of an audit target {@code user:<id>}; null for anything else. */
    static Long userIn(String target) {
        if (target == null || !target.startsWith("user:")) {
            return null;
        }
        try {
            return Long.parseLong(target.substring("user:".length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
