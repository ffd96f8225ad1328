package io.premiumbot.api.admin;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.admin.Views.Items;
import io.premiumbot.api.audit.AuditQueries;
import io.premiumbot.model.audit.AuditEntry;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
@SecurityRequirement(name = "operator")
public class AdminAuditResource {

    public record AuditView(
            long id,
            String action,
            String target,
            String operator,
            String remoteAddress,
            String details,
            Instant createdAt) {

        public static AuditView of(AuditEntry entry) {
            return new AuditView(
                    entry.id,
                    entry.action,
                    entry.target,
                    entry.actor,
                    entry.remoteAddress,
                    entry.details,
                    entry.createdAt);
        }
    }

    private final AuditQueries audit;

    public AdminAuditResource(AuditQueries audit) {
        this.audit = audit;
    }

    @GET
    @Operation(
            summary =
                    "Operator actions, newest first; filter by target (order:<id>, user:<id>, payment:<id>, months:<n>), operator and time")
    public Uni<Items<AuditView>> search(
            @QueryParam("target") @Size(max = 128) String target,
            @QueryParam("operator") @Size(max = 128) String operator,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        var search = new AuditQueries.Search(
                target, operator, Instants.parse("from", from), Instants.parse("to", to), limit);
        return audit.search(search)
                .map(entries -> new Items<>(entries.stream().map(AuditView::of).toList()));
    }
}
