package io.premiumbot.model.logging;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text bound for a log line: the bot token inside Bot API URLs, bearer and basic credentials,
 * the values of fields named like secrets (key=value, key: value and JSON form), and, wherever they appear,
 * the exact values of the secrets this process was configured with ({@link #registerSecret}).
 */
public final class SecretMasker {

    public static final String MASK = "***";

    private static final String SECRET_NAMES =
            "password|passwd|pwd|secret|token|api[_-]?key|apikey|authorization|card[_-]?number|private[_-]?key|"
                    + "x-telegram-bot-api-secret-token|tron-pro-api-key|webhook[_-]?secret|bot[_-]?token|admin[_-]?api[_-]?token";

    /**
     * A rule and the literal (lower case for the case-insensitive rules) that any text it matches must contain: most
     * log lines hold none of them, and a {@code contains} is far cheaper than running the pattern over the line.
     */
    private record Rule(Pattern pattern, String replacement, List<String> needsAnyOf, boolean ignoringCase) {}

    /** A lower-case piece of every name in SECRET_NAMES: a text naming a secret contains at least one. */
    private static final List<String> SECRET_NAME_PIECES =
            List.of("pass", "pwd", "secret", "token", "key", "authorization", "card");

    private static final List<Rule> RULES = List.of(
            // https://api.telegram.org/bot123456:AAH.../sendMessage, also at the end of a URL
            new Rule(Pattern.compile("/bot[^/\\s\"']+/"), "/bot" + MASK + "/", List.of("/bot"), false),
            new Rule(Pattern.compile("/bot\\d+:[A-Za-z0-9_-]+"), "/bot" + MASK, List.of("/bot"), false),
            // a bare bot token: digits, a colon, 30+ token characters
            new Rule(Pattern.compile("\\b\\d{5,}:[A-Za-z0-9_-]{30,}\\b"), MASK, List.of(":"), false),
            new Rule(
                    Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+"),
                    "$1 " + MASK,
                    List.of("bearer", "basic"),
                    true),
            // "password":"x"  or  "token": "x"
            new Rule(
                    Pattern.compile("(?i)(\"[\\w-]*(?:" + SECRET_NAMES + ")[\\w-]*\"\\s*:\\s*\")[^\"]*(\")"),
                    "$1" + MASK + "$2",
                    SECRET_NAME_PIECES,
                    true),
            // password=x, token: x, Authorization=x (query strings, headers, key=value logs)
            new Rule(
                    Pattern.compile("(?i)\\b([\\w-]*(?:" + SECRET_NAMES
                            + ")[\\w-]*)(\\s*[=:]\\s*)(?!\\s*\"|(?:bearer|basic)\\s)[^\\s,;&\"'}\\]]+"),
                    "$1$2" + MASK,
                    SECRET_NAME_PIECES,
                    true));

    /** Shorter values would mask ordinary words; real secrets are longer. */
    private static final int MIN_SECRET_LENGTH = 6;

    private static final Set<String> KNOWN_SECRETS = new CopyOnWriteArraySet<>();

    private SecretMasker() {}

    /** Masks this exact value wherever it appears from now on. */
    public static void registerSecret(String value) {
        if (value != null && value.length() >= MIN_SECRET_LENGTH) {
            KNOWN_SECRETS.add(value);
        }
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String secret : KNOWN_SECRETS) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        // (?i) in these patterns folds ASCII letters only, which toLowerCase(ROOT) folds too: no match is skipped
        String lower = masked.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (!mayMatch(rule, masked, lower)) {
                continue;
            }
            Matcher matcher = rule.pattern().matcher(masked);
            if (matcher.find()) {
                masked = matcher.replaceAll(rule.replacement());
                lower = masked.toLowerCase(Locale.ROOT);
            }
        }
        return masked;
    }

    private static boolean mayMatch(Rule rule, String text, String lower) {
        String haystack = rule.ignoringCase() ? lower : text;
        for (String piece : rule.needsAnyOf()) {
            if (haystack.contains(piece)) {
                return true;
            }
        }
        return false;
    }
}
