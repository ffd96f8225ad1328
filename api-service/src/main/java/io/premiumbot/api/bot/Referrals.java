package io.premiumbot.api.bot;

import java.util.Optional;

import org.jboss.logging.Logger;

import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.api.support.PaymentMethods;
import io.premiumbot.model.money.Money;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Referral links and {@code /referrals}, one statement each on the SQL client. {@code /start r<id>} records the
 * referrer once, in one conditional insert: never oneself (and a CHECK), never a second referrer (the primary key),
 * never after the customer's first paid order, only someone the bot knows; a replay inserts nothing more. The worker
 * pays the rewards (worker {@code referrals/}).
 */
@ApplicationScoped
public class Referrals {

    private static final Logger LOG = Logger.getLogger(Referrals.class);

    private static final String RECORD = """
            insert into referrals (customer_id, referrer_id)
            select $1::bigint, $2::bigint where $1::bigint <> $2::bigint
              and exists (select 1 from users where telegram_id = $2::bigint)
              and not exists (select 1 from orders where buyer_id = $1::bigint and paid_at is not null)
            on conflict (customer_id) do nothing""";

    private static final String SUMMARY = """
            select (select count(*) from referrals where referrer_id = $1) as invited,
                   (select coalesce(sum(amount_micros), 0) from referral_rewards where referrer_id = $1) as earned""";

    private final Pool pool;
    private final ApiConfig.Referrals config;
    private final Optional<String> botUsername;
    private final boolean enabled;

    /**
     * A Stars-only shop runs no referral programme: rewards are paid in USDT into the wallet, which such a shop doesn't
     * offer (and its Stars orders earn none).
     */
    public Referrals(Pool pool, ApiConfig.Referrals config, ApiConfig.Telegram telegram, PaymentMethods methods) {
        this.pool = pool;
        this.config = config;
        this.botUsername = telegram.botUsername();
        this.enabled = config.enabled() && !methods.starsOnly();
    }

    /** The referrer a {@code /start} argument names ({@code r<telegram id>}); empty for anything else. */
    static Optional<Long> referrerIn(BotCommand command) {
        String argument = command.argument(0);
        return argument != null
                        && argument.startsWith("r")
                        && command.arguments().size() == 1
                ? PurchaseIntent.positiveLong(argument.substring(1))
                : Optional.empty();
    }

    /** Records the referrer when referrals are on and the rules allow it; true when this call recorded one. */
    Uni<Boolean> record(long customerId, long referrerId) {
        if (!enabled) {
            return Uni.createFrom().item(false);
        }
        return pool.preparedQuery(RECORD)
                .execute(Tuple.of(customerId, referrerId))
                .map(rows -> rows.rowCount() == 1)
                .invoke(recorded -> {
                    if (recorded) {
                        LOG.infof("event=referral_recorded customerId=%d referrerId=%d", customerId, referrerId);
                    }
                });
    }

    /** {@code /referrals}: the customer's link, how many they brought and what they earned. */
    Uni<TelegramTypes.Reply> summary(long chatId, long userId, BotTexts texts) {
        if (!enabled) {
            return Uni.createFrom().item(TelegramTypes.Reply.message(chatId, texts.get("referrals.off")));
        }
        String link = botUsername
                .map(name -> "https://t.me/" + name + "?start=r" + userId)
                .orElse("/start r" + userId);
        String cap = config.monthlyCap()
                .map(value -> texts.get("referrals.cap", Money.parse(value)))
                .orElse("");
        return pool.preparedQuery(SUMMARY).execute(Tuple.of(userId)).map(rows -> {
            Row row = rows.iterator().next();
            return TelegramTypes.Reply.message(
                    chatId,
                    texts.get(
                            "referrals.summary",
                            link,
                            config.percent().stripTrailingZeros().toPlainString(),
                            cap,
                            String.valueOf(row.getLong("invited")),
                            Money.ofMicros(row.getLong("earned"))));
        });
    }
}
