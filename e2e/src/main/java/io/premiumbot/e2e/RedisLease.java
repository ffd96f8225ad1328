package io.premiumbot.e2e;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Exclusive use of one logical Redis database for one stack run. Databases from {@code firstDb} up are reserved for
 * stack runs: a run claims the first one without a live lease key, empties it (leftovers of a crashed run), keeps the
 * lease alive while it runs, and on close empties the database again only if the lease is still its own.
 */
public final class RedisLease implements AutoCloseable {

    static final String LEASE_KEY = "premium-e2e:lease";
    private static final int LEASE_SECONDS = 60;
    private static final int MAX_DB = 15;

    private static final String CLAIM = """
            if redis.call('exists', KEYS[1]) == 1 then return 0 end
            redis.call('flushdb')
            redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
            return 1""";
    private static final String RENEW = """
            if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) end
            return 0""";
    private static final String RELEASE = """
            if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('flushdb') return 1 end
            return 0""";

    private final Jedis connection;
    private final int db;
    private final String owner;
    private final ScheduledExecutorService renewal;

    private RedisLease(Jedis connection, int db, String owner) {
        this.connection = connection;
        this.db = db;
        this.owner = owner;
        this.renewal = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "redis-lease-renewal");
            thread.setDaemon(true);
            return thread;
        });
        renewal.scheduleWithFixedDelay(this::renew, LEASE_SECONDS / 3, LEASE_SECONDS / 3, TimeUnit.SECONDS);
    }

    public static RedisLease claim(String host, int port, String password, int firstDb) {
        String owner = UUID.randomUUID().toString();
        Jedis connection = new Jedis(host, port, 5_000);
        try {
            if (password != null) {
                connection.auth(password);
            }
            for (int db = firstDb; db <= MAX_DB; db++) {
                try {
                    connection.select(db);
                } catch (JedisDataException outOfRange) {
                    break;
                }
                if (Long.valueOf(1).equals(eval(connection, CLAIM, owner))) {
                    return new RedisLease(connection, db, owner);
                }
            }
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        throw new IllegalStateException("every Redis database from " + firstDb + " on " + host + ":" + port
                + " is leased by another stack run");
    }

    public int db() {
        return db;
    }

    private synchronized void renew() {
        eval(connection, RENEW, owner);
    }

    private static Object eval(Jedis connection, String script, String owner) {
        return connection.eval(script, List.of(LEASE_KEY), List.of(owner, String.valueOf(LEASE_SECONDS)));
    }

    /** Stops renewing without touching the database: for a server that goes away with the run. */
    synchronized void abandon() {
        renewal.shutdownNow();
        connection.close();
    }

    @Override
    public synchronized void close() {
        renewal.shutdownNow();
        try {
            connection.eval(RELEASE, List.of(LEASE_KEY), List.of(owner));
        } finally {
            connection.close();
        }
    }
}
