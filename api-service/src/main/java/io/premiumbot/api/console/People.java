package io.premiumbot.api.console;

import java.util.Map;

import io.quarkus.qute.TemplateData;

/**
 * The customers a page names, by Telegram id, so its tables show "Alice @alice" beside the id rather than a bare number.
 * Someone the bot never saw (a recipient picked by username) is shown by what the order knows.
 */
@TemplateData
public final class People {

    static final People NONE = new People(Map.of());

    private final Map<Long, Customer> known;

    People(Map<Long, Customer> known) {
        this.known = known;
    }

    /** A customer as a table shows them: a name, an @username (either may be absent) and the id. */
    @TemplateData
    public record Customer(long id, String name, String username, boolean known) {

        /** "Alice @alice", or the id when neither is known. */
        public String label() {
            StringBuilder text = new StringBuilder();
            if (name != null && !name.isBlank()) {
                text.append(name.strip());
            }
            if (username != null && !username.isBlank()) {
                text.append(text.isEmpty() ? "" : " ").append('@').append(username);
            }
            return text.isEmpty() ? Long.toString(id) : text.toString();
        }

        /** Whether the label already is the id (then it is not printed twice). */
        public boolean anonymous() {
            return label().equals(Long.toString(id));
        }
    }

    public Customer of(long id) {
        return known.getOrDefault(id, new Customer(id, null, null, false));
    }

    /** A recipient: the user the bot knows, else the username the order was made for. */
    public Customer recipient(long id, String username) {
        Customer customer = known.get(id);
        return customer != null ? customer : new Customer(id, null, username, false);
    }

    /** The customer an audit target names ({@code user:42}); null for other targets. */
    public Customer target(String target) {
        Long id = CustomerNames.userIn(target);
        return id == null ? null : of(id);
    }
}
