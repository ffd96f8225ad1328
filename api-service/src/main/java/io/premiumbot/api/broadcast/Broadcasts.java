package io.premiumbot.api.broadcast;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.premiumbot.api.audit.Operator;
import io.premiumbot.api.support.ConflictException;
import io.premiumbot.api.support.NotFoundException;
import io.premiumbot.model.i18n.Texts;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The operator's side of broadcasts: write a draft (a text per language), preview it in their own Telegram, start it
 * (its recipients written as the worker's outbox in the same transaction), watch its progress, cancel it. Every write
 * is one conditional statement with its audit record in the same transaction.
 */
@ApplicationScoped
public class Broadcasts {

    private static final Logger LOG = Logger.getLogger(Broadcasts.class);
    /** Telegram's limit for one message's text. */
    static final int MAX_TEXT = 4096;

    /** What the operator writes: a text for every language the bot speaks; {@code lapsedDays} for {@code LAPSED}. */
    public record NewBroadcast(Map<String, String> texts, String audience, Integer lapsedDays) {}

    /** What became of its messages so far; {@code left} are still to send (or in flight). */
    public record Progress(
            long sent, long failed, long unknown, long blocked, long skipped, long cancelled, long left) {

        /** Failed and unknown together: what the console shows as failed. */
        public long failedInAll() {
            return failed + unknown;
        }
    }

    public record Broadcast(
            long id,
            Map<String, String> texts,
            Audience audience,
            Integer lapsedDays,
            String status,
            Instant previewedAt,
            Integer recipients,
            String createdBy,
            Instant createdAt,
            String startedBy,
            Instant startedAt,
            Instant finishedAt,
            Progress progress) {}

    private static final String CREATE = """
            insert into broadcasts (texts, audience, lapsed_days, created_by) values ($1::jsonb, $2, $3, $4)
            returning id""";

    private static final String SELECT = """
            select b.id, b.texts::text as texts, b.audience, b.lapsed_days, b.status, b.previewed_at, b.recipients,
                   b.created_by, b.created_at, b.started_by, b.started_at, b.finished_at,
                   count(m.id) filter (where m.state = 'SENT') as sent,
                   count(m.id) filter (where m.state = 'FAILED') as failed,
                   count(m.id) filter (where m.state = 'UNKNOWN') as unknown,
                   count(m.id) filter (where m.state = 'BLOCKED') as blocked,
                   count(m.id) filter (where m.state = 'SKIPPED') as skipped,
                   count(m.id) filter (where m.state = 'CANCELLED') as cancelled,
                   count(m.id) filter (where m.state in ('PENDING', 'SENDING')) as left
            from broadcasts b left join broadcast_messages m on m.broadcast_id = b.id""";

    private static final String PREVIEWED =
            "update broadcasts set previewed_at = now() where id = $1 and status = 'DRAFT'";

    private static final String START = """
            update broadcasts set status = 'SENDING', started_at = now(), started_by = $2
            where id = $1 and status = 'DRAFT' and previewed_at is not null
            returning audience, lapsed_days""";

    private static final String RECIPIENTS = """
            insert into broadcast_messages (broadcast_id, chat_id, language)
            select $2::bigint, u.telegram_id, case when lower(u.language_code) like 'zh%%' then 'zh' else 'en' end
            from users u where %s
            order by u.telegram_id""";

    private static final String COUNTED = "update broadcasts set recipients = $2 where id = $1";

    private static final String CANCEL = """
            update broadcasts set status = 'CANCELLED', finished_at = now()
            where id = $1 and status in ('DRAFT', 'SENDING')""";

    private static final String CANCEL_MESSAGES = """
            update broadcast_messages set state = 'CANCELLED', settled_at = now()
            where broadcast_id = $1 and state = 'PENDING'""";

    private static final String AUDIT = """
            insert into audit_log (action, target, actor, remote_address, details, created_at)
            values ($1, $2, $3, $4, $5, now())""";

    private final Pool pool;

    public Broadcasts(Pool pool) {
        this.pool = pool;
    }

    public Uni<Broadcast> create(NewBroadcast request, Operator operator) {
        Map<String, String> texts = texts(request.texts());
        Audience audience = Audience.parse(request.audience());
        Integer days = lapsedDays(audience, request.lapsedDays());
        JsonObject json = new JsonObject();
        texts.forEach(json::put);
        return pool.withTransaction(connection -> connection
                        .preparedQuery(CREATE)
                        .execute(Tuple.of(json, audience.name(), days, operator.name()))
                        .map(rows -> rows.iterator().next().getLong("id"))
                        .call(id -> audit(
                                connection,
                                "broadcast.create",
                                id,
                                operator,
                                audience + (days == null ? "" : " " + days))))
                .flatMap(this::find);
    }

    public Uni<List<Broadcast>> all() {
        return pool.query(SELECT + " group by b.id order by b.id desc limit 100")
                .execute()
                .map(rows -> {
                    List<Broadcast> all = new ArrayList<>();
                    rows.forEach(row -> all.add(broadcast(row)));
                    return all;
                });
    }

    public Uni<Broadcast> find(long id) {
        return pool.preparedQuery(SELECT + " where b.id = $1 group by b.id")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("no broadcast " + id);
                    }
                    return broadcast(rows.iterator().next());
                });
    }

    /** How many customers the audience holds now (the start counts them again, as they are then). */
    public Uni<Long> audienceCount(String audience, Integer lapsedDays) {
        Audience parsed = Audience.parse(audience);
        Integer days = lapsedDays(parsed, lapsedDays);
        return pool.preparedQuery("select count(*) from users u where " + parsed.where())
                .execute(Tuple.of(days))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** The preview reached the operator's Telegram: the draft may be started. */
    Uni<Broadcast> previewed(long id, long chatId, Operator operator) {
        return pool.withTransaction(connection -> connection
                        .preparedQuery(PREVIEWED)
                        .execute(Tuple.of(id))
                        .flatMap(rows -> rows.rowCount() == 1
                                ? audit(connection, "broadcast.preview", id, operator, "to chat " + chatId)
                                : explainRefusal(id, "only a draft is previewed")))
                .flatMap(ignored -> find(id));
    }

    /**
     * Starts a previewed draft: its recipients (the audience as it is now) become pending messages in the same
     * transaction, so the worker sends to exactly them, each once.
     */
    public Uni<Broadcast> start(long id, Operator operator) {
        return pool.withTransaction(connection -> connection
                        .preparedQuery(START)
                        .execute(Tuple.of(id, operator.name()))
                        .flatMap(rows -> {
                            if (rows.rowCount() == 0) {
                                return explainRefusal(id, "only a previewed draft is started");
                            }
                            Row row = rows.iterator().next();
                            Audience audience = Audience.valueOf(row.getString("audience"));
                            return connection
                                    .preparedQuery(RECIPIENTS.formatted(audience.where()))
                                    .execute(Tuple.of(row.getInteger("lapsed_days"), id))
                                    .map(inserted -> inserted.rowCount())
                                    .call(count ->
                                            connection.preparedQuery(COUNTED).execute(Tuple.of(id, count)))
                                    .call(count ->
                                            audit(connection, "broadcast.start", id, operator, count + " recipients"))
                                    .invoke(count -> LOG.infof(
                                            "event=broadcast_started broadcast=%d recipients=%d operator=%s",
                                            id, count, operator.name()))
                                    .replaceWithVoid();
                        }))
                .flatMap(ignored -> find(id));
    }

    /** Stops a draft or a running broadcast: messages not yet sent are cancelled; those in flight settle. */
    public Uni<Broadcast> cancel(long id, Operator operator) {
        return pool.withTransaction(connection -> connection
                        .preparedQuery(CANCEL)
                        .execute(Tuple.of(id))
                        .flatMap(rows -> rows.rowCount() == 1
                                ? connection
                                        .preparedQuery(CANCEL_MESSAGES)
                                        .execute(Tuple.of(id))
                                        .call(cancelled -> audit(
                                                connection,
                                                "broadcast.cancel",
                                                id,
                                                operator,
                                                cancelled.rowCount() + " messages not sent"))
                                        .replaceWithVoid()
                                : explainRefusal(id, "a finished broadcast can't be cancelled")))
                .flatMap(ignored -> find(id));
    }

    /** A conditional update matched nothing: 404 for an unknown broadcast, else 409 saying why. */
    private Uni<Void> explainRefusal(long id, String why) {
        return find(id).flatMap(found -> Uni.createFrom()
                .failure(new ConflictException("broadcast " + id + " is " + found.status() + ": " + why)));
    }

    private static Uni<Void> audit(
            SqlConnection connection, String action, long id, Operator operator, String details) {
        return connection
                .preparedQuery(AUDIT)
                .execute(Tuple.of(action, "broadcast:" + id, operator.name(), operator.remoteAddress(), details))
                .replaceWithVoid();
    }

    /** Every language the bot speaks, none other, none blank, none longer than Telegram takes. */
    static Map<String, String> texts(Map<String, String> given) {
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, String> all = given == null ? Map.of() : given;
        for (String language : Texts.LANGUAGES) {
            String text = all.get(language);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("texts." + language + ": a text in every language the bot speaks "
                        + Texts.LANGUAGES + " is required");
            }
            if (text.strip().length() > MAX_TEXT) {
                throw new IllegalArgumentException("texts." + language + ": at most " + MAX_TEXT + " characters");
            }
            texts.put(language, text.strip());
        }
        for (String language : all.keySet()) {
            if (!Texts.LANGUAGES.contains(language)) {
                throw new IllegalArgumentException("texts." + language + ": the bot speaks only " + Texts.LANGUAGES);
            }
        }
        return texts;
    }

    private static Integer lapsedDays(Audience audience, Integer days) {
        if (audience != Audience.LAPSED) {
            return null;
        }
        if (days == null || days < 1 || days > 3650) {
            throw new IllegalArgumentException("lapsedDays: 1 to 3650 days for the LAPSED audience");
        }
        return days;
    }

    private static Broadcast broadcast(Row row) {
        JsonObject json = new JsonObject(row.getString("texts"));
        Map<String, String> texts = new LinkedHashMap<>();
        Texts.LANGUAGES.forEach(language -> texts.put(language, json.getString(language)));
        Function<String, Instant> instant = column -> {
            OffsetDateTime value = row.getOffsetDateTime(column);
            return value == null ? null : value.toInstant();
        };
        return new Broadcast(
                row.getLong("id"),
                texts,
                Audience.valueOf(row.getString("audience")),
                row.getInteger("lapsed_days"),
                row.getString("status"),
                instant.apply("previewed_at"),
                row.getInteger("recipients"),
                row.getString("created_by"),
                instant.apply("created_at"),
                row.getString("started_by"),
                instant.apply("started_at"),
                instant.apply("finished_at"),
                new Progress(
                        row.getLong("sent"),
                        row.getLong("failed"),
                        row.getLong("unknown"),
                        row.getLong("blocked"),
                        row.getLong("skipped"),
                        row.getLong("cancelled"),
                        row.getLong("left")));
    }
}
