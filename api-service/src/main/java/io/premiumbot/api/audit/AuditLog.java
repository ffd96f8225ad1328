package io.premiumbot.api.audit;

import java.time.Instant;

import io.premiumbot.model.audit.AuditEntry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Writes operator actions inside the transaction of the action itself: no action without its record. */
@ApplicationScoped
public class AuditLog {

    public Uni<Void> record(String action, String target, Operator operator, String details) {
        AuditEntry entry = new AuditEntry();
        entry.action = action;
        entry.target = target;
        entry.actor = operator.name();
        entry.remoteAddress = operator.remoteAddress();
        entry.details = details == null || details.length() <= 2000 ? details : details.substring(0, 2000);
        entry.createdAt = Instant.now();
        return entry.persist().replaceWithVoid();
    }
}
