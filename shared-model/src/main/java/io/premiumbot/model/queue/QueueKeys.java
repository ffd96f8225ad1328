package io.premiumbot.model.queue;

/**
 * Redis keys of the delivery queue. All carry the hash tag {@code {premium}} so that the Lua scripts
 * touching several of them also run on Redis Cluster (one slot).
 */
public final class QueueKeys {

    public static final String HASH_TAG = "{premium}";
    private static final String PREFIX = HASH_TAG + ":delivery:";

    /** Jobs ready to be claimed (LPUSH in, BLMOVE out from the right). */
    public static final String READY = PREFIX + "ready";
    /** Jobs waiting for a retry, scored by the epoch millisecond they become due. */
    public static final String DELAYED = PREFIX + "delayed";
    /** Jobs that ran out of attempts or could not be read. */
    public static final String DEAD = PREFIX + "dead";
    /** Ids of workers that hold or held a processing list. */
    public static final String WORKERS = PREFIX + "workers";

    private QueueKeys() {}

    /** The list a worker moves claimed jobs into until it acknowledges them. */
    public static String processing(String workerId) {
        return PREFIX + "processing:" + workerId;
    }

    /** Present (with a TTL) while the worker is alive. */
    public static String heartbeat(String workerId) {
        return PREFIX + "heartbeat:" + workerId;
    }
}
