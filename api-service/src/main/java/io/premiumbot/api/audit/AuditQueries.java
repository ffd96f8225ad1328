package io.premiumbot.api.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.premiumbot.model.audit.AuditEntry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The audit log read back: who did what to which order, wallet, price or payment. */
@ApplicationScoped
public class AuditQueries {

    /** Every filter optional; {@code target} is exact, e.g. {@code order:AB12CD34} or {@code user:42}. */
    public record Search(String target, String operator, Instant from, Instant to, int limit) {}

    @WithSession
    public Uni<List<AuditEntry>> search(Search search) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (search.target() != null && !search.target().isBlank()) {
            where.add("target = :target");
            params.and("target", search.target().strip());
        }
        if (search.operator() != null && !search.operator().isBlank()) {
            where.add("actor = :actor");
            params.and("actor", search.operator().strip());
        }
        if (search.from() != null) {
            where.add("createdAt >= :from");
            params.and("from", search.from());
        }
        if (search.to() != null) {
            where.add("createdAt < :to");
            params.and("to", search.to());
        }
        String query = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
        return AuditEntry.<AuditEntry>find(
                        query, Sort.descending("createdAt").and("id", Sort.Direction.Descending), params)
                .page(Page.ofSize(search.limit()))
                .list();
    }
}
