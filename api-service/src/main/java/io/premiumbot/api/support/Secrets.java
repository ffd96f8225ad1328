package io.premiumbot.api.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Secret comparison that takes the same time whether the first or the last character differs. */
public final class Secrets {

    private Secrets() {}

    public static boolean matches(String presented, String expected) {
        if (presented == null || expected == null || expected.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
