package io.premiumbot.api.operators;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.premiumbot.api.support.ApiConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The operators this service knows: each configured as {@code name:role:sha256-of-token[:telegram-id]}, so the
 * configuration holds no token (the Telegram id is the operator's own account, where a Stars top-up invoice goes); plus the shared {@code ADMIN_API_TOKEN} of scripts, an admin named {@value #SCRIPT_NAME}.
 * A presented token is hashed and compared with every entry in constant time.
 */
@ApplicationScoped
public class OperatorDirectory {

    public static final String SCRIPT_NAME = "api-token";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private record Entry(Account account, byte[] tokenHash) {}

    private final List<Entry> entries;

    public OperatorDirectory(ApiConfig.Admin admin) {
        this.entries = parse(admin.operators().orElse(""), admin.apiToken());
    }

    /** The operator whose token this is, if any. */
    public Optional<Account> byToken(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(token);
        Account found = null;
        for (Entry entry : entries) {
            // every entry compared, so the time taken says nothing about which one matched
            if (MessageDigest.isEqual(presented, entry.tokenHash()) && found == null) {
                found = entry.account();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The operator as configured now: a session outlives neither its operator nor a change of role. */
    public Optional<Account> byName(String name) {
        return entries.stream()
                .map(Entry::account)
                .filter(account -> account.name().equals(name))
                .findFirst();
    }

    public static String hashHex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static List<Entry> parse(String configured, String scriptToken) {
        List<Entry> parsed = new ArrayList<>();
        if (scriptToken != null && !scriptToken.isEmpty()) {
            parsed.add(new Entry(new Account(SCRIPT_NAME, Role.ADMIN), sha256(scriptToken)));
        }
        for (String item : configured.split("[,\\s]+")) {
            if (item.isEmpty()) {
                continue;
            }
            String[] parts = item.split(":");
            // the message names the entry by position only: it may hold a hash someone pasted by mistake
            String where = "OPERATORS entry " + (parsed.size() + 1 - (scriptToken == null ? 0 : 1));
            if (parts.length != 3 && parts.length != 4) {
                throw new IllegalArgumentException(
                        where + " must be name:role:sha256hex or name:role:sha256hex:telegramId");
            }
            if (!NAME.matcher(parts[0]).matches() || parts[0].equals(SCRIPT_NAME)) {
                throw new IllegalArgumentException(
                        where + ": the name must be 1-64 letters, digits, '.', '_' or '-' and not " + SCRIPT_NAME);
            }
            Role role;
            try {
                role = Role.valueOf(parts[1].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": the role must be viewer, operator or admin");
            }
            String hash = parts[2].toLowerCase(Locale.ROOT);
            if (!SHA256_HEX.matcher(hash).matches()) {
                throw new IllegalArgumentException(
                        where + ": the token hash must be 64 hex digits (sha256sum of the token)");
            }
            String name = parts[0];
            if (parsed.stream().anyMatch(entry -> entry.account().name().equals(name))) {
                throw new IllegalArgumentException(where + ": the name " + name + " is configured twice");
            }
            Long telegramId = parts.length == 4 ? telegramId(parts[3], where) : null;
            parsed.add(new Entry(
                    new Account(name, role, telegramId), HexFormat.of().parseHex(hash)));
        }
        return List.copyOf(parsed);
    }

    private static Long telegramId(String value, String where) {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // refused below, with the rule
        }
        throw new IllegalArgumentException(where + ": the Telegram id must be the operator's positive numeric user id");
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
