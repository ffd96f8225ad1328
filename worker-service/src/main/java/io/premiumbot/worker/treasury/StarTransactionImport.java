package io.premiumbot.worker.treasury;

import java.util.ArrayList;
import java.util.List;

import org.hibernate.reactive.mutiny.Mutiny;

import io.premiumbot.worker.delivery.StarTransactionSink;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Stores every transaction of a page read by the settlement's reader (one statement per page), in the transaction
 * that moves the shared cursor past it; a transaction already stored ({@code (transaction_id, direction)}) is left
 * as it is, so a page read again changes nothing.
 */
@ApplicationScoped
public class StarTransactionImport implements StarTransactionSink {

    private static final int COLUMNS = 11;
    private static final String INSERT = """
            insert into star_transactions (transaction_id, direction, stars, nanostars, partner, transaction_type,
                partner_user_id, invoice_payload, made_at, position, class)
            values """;

    @Override
    public Uni<Void> keep(Mutiny.Session session, long offset, JsonArray page) {
        if (page.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ListedStarTransaction> listed = new ArrayList<>(page.size());
        for (int i = 0; i < page.size(); i++) {
            listed.add(ListedStarTransaction.of(page.getJsonObject(i), offset + i));
        }
        StringBuilder sql = new StringBuilder(INSERT);
        for (int row = 0; row < listed.size(); row++) {
            int p = row * COLUMNS;
            sql.append(row == 0 ? "" : ", ")
                    .append("(?")
                    .append(p + 1)
                    .append(", ?")
                    .append(p + 2)
                    .append(", ?")
                    .append(p + 3)
                    .append(", ?")
                    .append(p + 4)
                    .append(", ?")
                    .append(p + 5)
                    .append(", cast(?")
                    .append(p + 6)
                    .append(" as varchar)")
                    .append(", cast(?")
                    .append(p + 7)
                    .append(" as bigint), cast(?")
                    .append(p + 8)
                    .append(" as varchar)")
                    .append(", to_timestamp(?")
                    .append(p + 9)
                    .append("), ?")
                    .append(p + 10)
                    .append(", ?")
                    .append(p + 11)
                    .append(")");
        }
        sql.append(" on conflict (transaction_id, direction) do nothing");
        var insert = session.createNativeQuery(sql.toString());
        for (int row = 0; row < listed.size(); row++) {
            ListedStarTransaction t = listed.get(row);
            int p = row * COLUMNS;
            insert.setParameter(p + 1, t.transactionId())
                    .setParameter(p + 2, t.out() ? "OUT" : "IN")
                    .setParameter(p + 3, t.stars())
                    .setParameter(p + 4, t.nanostars())
                    .setParameter(p + 5, t.partner())
                    .setParameter(p + 6, t.transactionType())
                    .setParameter(p + 7, t.partnerUserId())
                    .setParameter(p + 8, t.invoicePayload())
                    .setParameter(p + 9, (double) t.madeAt().getEpochSecond())
                    .setParameter(p + 10, t.position())
                    .setParameter(p + 11, t.provisional().name());
        }
        return insert.executeUpdate().replaceWithVoid();
    }
}
