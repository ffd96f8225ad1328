package io.premiumbot.worker.queue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * A Lua script sent by its SHA-1 (EVALSHA), so a call carries the digest instead of the script's text. Redis
 * forgets cached scripts on a restart or SCRIPT FLUSH; the NOSCRIPT answer is then followed by one EVAL with the
 * text, which caches it again. Either way the script runs once per call: NOSCRIPT means it did not run.
 */
final class RedisScript {

    private final String text;
    private final String sha;

    RedisScript(String text) {
        this.text = text;
        this.sha = sha1(text);
    }

    String sha() {
        return sha;
    }

    Uni<Response> run(ReactiveRedisDataSource redis, List<String> keys, String... args) {
        return redis.execute("EVALSHA", command(sha, keys, args))
                .onFailure(RedisScript::isNoScript)
                .recoverWithUni(() -> redis.execute("EVAL", command(text, keys, args)));
    }

    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    private static String[] command(String script, List<String> keys, String... args) {
        String[] command = new String[2 + keys.size() + args.length];
        command[0] = script;
        command[1] = Integer.toString(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            command[2 + i] = keys.get(i);
        }
        System.arraycopy(args, 0, command, 2 + keys.size(), args.length);
        return command;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }
}
