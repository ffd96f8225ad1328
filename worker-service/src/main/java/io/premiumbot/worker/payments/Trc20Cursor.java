package io.premiumbot.worker.payments;

import java.time.Instant;
import java.util.Optional;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The persisted position of the TRC20 poller per receive address: the block time up to which every transfer has
 * been processed. It only moves forward ({@code greatest}), so replicas advancing it concurrently never pull it back.
 */
@ApplicationScoped
public class Trc20Cursor {

    private static final String READ = "select last_block_timestamp from trc20_cursor where address = ?1";

    private static final String ADVANCE = """
            insert into trc20_cursor (address, last_block_timestamp, updated_at) values (?1, ?2, now())
            on conflict (address) do update
            set last_block_timestamp = greatest(trc20_cursor.last_block_timestamp, excluded.last_block_timestamp),
                updated_at = now()""";

    public Uni<Optional<Instant>> read(String address) {
        return Panache.withSession(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(READ, Long.class)
                                .setParameter(1, address)
                                .getSingleResultOrNull()))
                .map(millis -> Optional.ofNullable(millis).map(Instant::ofEpochMilli));
    }

    public Uni<Void> advance(String address, Instant processedUpTo) {
        return Panache.withTransaction(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(ADVANCE)
                                .setParameter(1, address)
                                .setParameter(2, processedUpTo.toEpochMilli())
                                .executeUpdate()))
                .replaceWithVoid();
    }
}
