package io.premiumbot.worker.support;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/** Customers and running broadcasts, written the way api-service's start writes them (one statement each). */
@ApplicationScoped
public class BroadcastFixtures {

    private final Sql sql;
    private final Fixtures fixtures;

    public BroadcastFixtures(DataSource db, Fixtures fixtures) {
        this.sql = new Sql(db);
        this.fixtures = fixtures;
    }

    /** {@code count} customers who have talked to the bot (half of them in Chinese). */
    public List<Long> customers(int count) {
        List<Long> ids = new ArrayList<>(count);
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < count; i++) {
            long id = fixtures.anotherTelegramUser();
            ids.add(id);
            values.append(i == 0 ? "" : ",")
                    .append("(")
                    .append(id)
                    .append(", '")
                    .append(i % 2 == 0 ? "en" : "zh-hans")
                    .append("')");
        }
        sql.update("insert into users (telegram_id, language_code) values " + values);
        return ids;
    }

    /** A broadcast the operator previewed and started, its messages to {@code chats} pending; its id. */
    public long running(List<Long> chats) {
        long id = sql.number("""
                insert into broadcasts (texts, audience, status, previewed_at, recipients, created_by, started_by, started_at)
                values ('{"en": "News!", "zh": "新闻！"}'::jsonb, 'ALL', 'SENDING', now(), ?, 'test', 'test', now())
                returning id""", chats.size());
        sql.update("""
                insert into broadcast_messages (broadcast_id, chat_id, language)
                select ?, u.telegram_id, case when u.language_code like 'zh%' then 'zh' else 'en' end
                from users u where u.telegram_id = any(?) order by u.telegram_id""", id, chats.stream().mapToLong(Long::longValue).toArray());
        return id;
    }

    /** The operator's cancel, as api-service writes it. */
    public void cancel(long broadcastId) {
        sql.inTransaction(tx -> {
            tx.update(
                    "update broadcasts set status = 'CANCELLED', finished_at = now() where id = ? and status = 'SENDING'",
                    broadcastId);
            tx.update(
                    "update broadcast_messages set state = 'CANCELLED', settled_at = now() where broadcast_id = ? and state = 'PENDING'",
                    broadcastId);
            return null;
        });
    }

    public String status(long broadcastId) {
        return sql.text("select status from broadcasts where id = ?", broadcastId);
    }

    public long messages(long broadcastId, String state) {
        return sql.number(
                "select count(*) from broadcast_messages where broadcast_id = ? and state = ?", broadcastId, state);
    }

    public String state(long broadcastId, long chatId) {
        return sql.text(
                "select state from broadcast_messages where broadcast_id = ? and chat_id = ?", broadcastId, chatId);
    }

    public boolean blocked(long chatId) {
        return sql.number("select count(*) from users where telegram_id = ? and bot_blocked_at is not null", chatId)
                == 1;
    }

    public void update(String statement, Object... args) {
        sql.update(statement, args);
    }
}
