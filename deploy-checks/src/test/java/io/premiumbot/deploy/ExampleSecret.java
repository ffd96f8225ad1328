package io.premiumbot.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** k8s/secret.example.env: the Secret's keys, each with a placeholder instead of a value. */
final class ExampleSecret {

    /** What a committed secret value may look like: empty, {@code <...>}, or an obvious marker. */
    static final Pattern PLACEHOLDER =
            Pattern.compile("^(|<[^<>]*>|CHANGE_?ME|REPLACE_?ME|placeholder)$", Pattern.CASE_INSENSITIVE);

    private ExampleSecret() {}

    static Map<String, String> entries() {
        Map<String, String> entries = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Repo.EXAMPLE_SECRET)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                if (equals <= 0) {
                    throw new AssertionError(Repo.EXAMPLE_SECRET + ": not KEY=VALUE: " + trimmed);
                }
                entries.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    static Set<String> keys() {
        return entries().keySet();
    }
}
