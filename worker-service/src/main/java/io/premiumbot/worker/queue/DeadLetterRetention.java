package io.premiumbot.worker.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.model.queue.QueueKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps the dead list to what still needs the operator. A dead job is removed only once PostgreSQL — the truth —
 * shows its order settled for good (delivered, refunded or expired): nothing is left to do for it, and the order
 * with its attempts stays in PostgreSQL. A job whose order is still open (paid, failed, delivery unknown, …) or
 * whose payload can't be read stays until the operator acts, so the list is bounded by the orders awaiting the
 * operator, and never silently loses one.
 */
@ApplicationScoped
public class DeadLetterRetention {

    private static final Logger LOG = Logger.getLogger(DeadLetterRetention.class);

    private static final String SETTLED = """
            select id from orders where id = any($1) and status in ('DELIVERED', 'REFUNDED', 'EXPIRED')""";

    private final ReactiveRedisDataSource redis;
    private final Pool db;
    private final int scanLimit;

    public DeadLetterRetention(ReactiveRedisDataSource redis, Pool db, WorkerConfig config) {
        this.redis = redis;
        this.db = db;
        this.scanLimit = config.retention().deadScan();
    }

    @Scheduled(
            identity = "dead-letter-retention",
            every = "${worker.schedule.dead-retention-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return trim().replaceWithVoid();
    }

    /** Removes the dead jobs (among the oldest scan-limit) whose order is settled; the number removed. */
    public Uni<Long> trim() {
        return redis.list(String.class)
                .lrange(QueueKeys.DEAD, -scanLimit, -1)
                .flatMap(raws -> {
                    Map<String, List<String>> byOrder = new HashMap<>();
                    for (String raw : raws) {
                        orderIdOf(raw)
                                .ifPresent(orderId -> byOrder.computeIfAbsent(orderId, k -> new ArrayList<>())
                                        .add(raw));
                    }
                    if (byOrder.isEmpty()) {
                        return Uni.createFrom().item(0L);
                    }
                    return db.preparedQuery(SETTLED)
                            .execute(Tuple.of(byOrder.keySet().toArray(String[]::new)))
                            .flatMap(rows -> {
                                Set<String> settled = new HashSet<>();
                                for (Row row : rows) {
                                    settled.add(row.getString("id"));
                                }
                                List<String> removable = settled.stream()
                                        .flatMap(id -> byOrder.get(id).stream())
                                        .toList();
                                return Multi.createFrom()
                                        .iterable(removable)
                                        .onItem()
                                        .transformToUniAndConcatenate(
                                                raw -> redis.list(String.class).lrem(QueueKeys.DEAD, 1, raw))
                                        .collect()
                                        .with(Collectors.summingLong(Long::longValue));
                            });
                })
                .invoke(removed -> {
                    if (removed > 0) {
                        LOG.infof("event=dead_jobs_trimmed count=%d", removed);
                    }
                });
    }

    private Optional<String> orderIdOf(String raw) {
        return DeliveryJob.tryParse(raw).map(DeliveryJob::orderId); // unreadable: the operator looks at it
    }
}
