package io.premiumbot.testkit;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Telegram Bot API on loopback that answers as the real one does (docs/contracts.md, "What we rely on from
 * Telegram and TronGrid"):
 * {@code /bot<token>/<method>}, JSON or form parameters, the {@code {"ok":false,"error_code",...}} envelope,
 * 401 for a wrong token, "Bad Request: user not found" for users it doesn't know, "BALANCE_TOO_LOW" when the
 * bot's Stars don't cover a gift, and gifts listed by getStarTransactions as {@code premium_purchase}. getChat
 * reports a user's username as the test set it with {@link #username} (one account per username, as Telegram), and
 * refuses a {@code "@name"} chat_id of a private user with "chat not found", as Telegram does.
 * refundStarPayment answers true once per charge, then "CHARGE_ALREADY_REFUNDED".
 * Tests script faults per method ({@link BotApiFaults}): an error answer, a 429 with retry_after, or an answer that
 * never comes; and a stall of the whole API ({@link #stall()}, {@link #catchUp()}). The HTTP plumbing is {@link LoopbackHttp}'s, shared with {@link FakeTronGrid}.
 */
public final class FakeBotApi implements AutoCloseable {

    private static final Map<Integer, Integer> STARS_BY_MONTHS = Map.of(3, 1000, 6, 1500, 12, 2500);
    private static final ObjectMapper JSON = LoopbackHttp.JSON;

    /** One call as the fake received it. */
    public record Call(String method, Map<String, String> params, Instant at) {
        public long longParam(String name) {
            return Long.parseLong(params.get(name));
        }
    }

    /** Replaced when the fake comes back from {@link #goDown()}, on the same port. */
    private volatile HttpServer server;

    private final int port;
    private boolean down;
    private final String token;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final BotApiFaults faults = new BotApiFaults();
    private final Set<Long> knownUsers = ConcurrentHashMap.newKeySet();
    private final Set<Long> refusingPremiumGifts = ConcurrentHashMap.newKeySet();
    private final Set<Long> blockedBot = ConcurrentHashMap.newKeySet();
    private final Map<Long, String> usernames = new ConcurrentHashMap<>();
    private final AtomicLong starBalance = new AtomicLong(1_000_000);
    private final List<ObjectNode> starTransactions = new CopyOnWriteArrayList<>();
    private final AtomicLong messageIds = new AtomicLong(1);
    private final Map<String, Long> starPayers = new ConcurrentHashMap<>();
    private final Set<String> refundedCharges = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> starPaymentAmounts = new ConcurrentHashMap<>();
    private volatile boolean acceptAllUsers = true;
    /** The webhook as setWebhook left it: {@code url} empty when none is set. */
    private volatile ObjectNode webhook = JSON.createObjectNode().put("url", "");

    private volatile int pendingUpdates;
    private volatile long lastWebhookErrorDate;
    private volatile String lastWebhookErrorMessage;
    /** setMyCommands' lists by scope and language code ("" for every language without its own). */
    private final Map<String, JsonNode> commands = new ConcurrentHashMap<>();

    private FakeBotApi(String token, int port) {
        this.token = token;
        this.server = LoopbackHttp.start("fake-bot-api", port, 256, this::handle);
        this.port = server.getAddress().getPort();
    }

    public static FakeBotApi start(String token) {
        return start(token, 0);
    }

    public static FakeBotApi start(String token, int port) {
        return new FakeBotApi(token, port);
    }

    /** The value for {@code TELEGRAM_API_URL}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(call -> call.method().equals(method)).toList();
    }

    public void reset() {
        comeBack();
        calls.clear();
        faults.reset();
        knownUsers.clear();
        refusingPremiumGifts.clear();
        blockedBot.clear();
        usernames.clear();
        starTransactions.clear();
        starPayers.clear();
        refundedCharges.clear();
        starPaymentAmounts.clear();
        starBalance.set(1_000_000);
        acceptAllUsers = true;
        webhook = JSON.createObjectNode().put("url", "");
        pendingUpdates = 0;
        lastWebhookErrorDate = 0;
        lastWebhookErrorMessage = null;
        commands.clear();
    }

    /** Every answer from now on comes {@code delay} after the request arrived (zero: at once, the default). */
    public FakeBotApi latency(Duration delay) {
        faults.latency(delay);
        return this;
    }

    /**
     * From now on at most {@code perSecond} sends (every method but the {@code get…} reads) are served per wall-clock
     * second; the ones past it get 429 with {@code retry_after} 1, as Telegram answers a flood. 0 turns the limit off
     * (the default).
     */
    public FakeBotApi rateLimitPerSecond(int perSecond) {
        faults.rateLimitPerSecond(perSecond);
        return this;
    }

    /** How many calls the rate limit of {@link #rateLimitPerSecond} refused with 429. */
    public long rateLimitedCount() {
        return faults.rateLimitedCount();
    }

    /** From now on only users added with {@link #knowUser} exist; others get "user not found". */
    public FakeBotApi onlyKnownUsers() {
        acceptAllUsers = false;
        return this;
    }

    public FakeBotApi knowUser(long userId) {
        knownUsers.add(userId);
        return this;
    }

    public FakeBotApi refusePremiumGifts(long userId) {
        refusingPremiumGifts.add(userId);
        return this;
    }

    /**
     * From now on Telegram reports {@code userId} under {@code username} (null: none). A username belongs to one
     * account at a time: whoever held it before (case-insensitively) no longer does.
     */
    public synchronized FakeBotApi username(long userId, String username) {
        if (username == null) {
            usernames.remove(userId);
            return this;
        }
        usernames
                .entrySet()
                .removeIf(held -> held.getKey() != userId && held.getValue().equalsIgnoreCase(username));
        usernames.put(userId, username);
        return this;
    }

    public FakeBotApi blockBot(long userId) {
        blockedBot.add(userId);
        return this;
    }

    /** A Stars payment {@code userId} made with this charge id: only they can be refunded it. */
    public FakeBotApi starPayment(long userId, String chargeId) {
        starPayers.put(chargeId, userId);
        return this;
    }

    /** Charges refunded so far (each once). */
    public Set<String> refundedCharges() {
        return Set.copyOf(refundedCharges);
    }

    public FakeBotApi starBalance(long stars) {
        starBalance.set(stars);
        return this;
    }

    public long starBalance() {
        return starBalance.get();
    }

    /** What getWebhookInfo reports as {@code pending_update_count}: updates Telegram holds, not yet delivered. */
    public FakeBotApi pendingUpdates(int count) {
        pendingUpdates = count;
        return this;
    }

    /**
     * Telegram failed to deliver an update to the webhook at {@code at} with {@code message} (as getWebhookInfo's
     * {@code last_error_date} and {@code last_error_message}, e.g. "Wrong response from the webhook: 500 Internal
     * Server Error").
     */
    public FakeBotApi webhookDeliveryFailed(Instant at, String message) {
        lastWebhookErrorDate = at.getEpochSecond();
        lastWebhookErrorMessage = message;
        return this;
    }

    /**
     * The command menu setMyCommands left for the default scope and {@code languageCode} (null: the list for every
     * language without its own), command to description in the order given; empty when none was set.
     */
    public Map<String, String> commands(String languageCode) {
        JsonNode list = commands.get(commandsKey(DEFAULT_SCOPE, languageCode == null ? "" : languageCode));
        Map<String, String> menu = new java.util.LinkedHashMap<>();
        if (list != null) {
            list.forEach(command -> menu.put(
                    command.path("command").asText(),
                    command.path("description").asText()));
        }
        return menu;
    }

    /** The next call of {@code method} fails with this HTTP status and description. */
    public FakeBotApi failNext(String method, int status, String description) {
        faults.queue(method, BotApiFaults.Fault.error(status, description, null));
        return this;
    }

    /** Like {@link #failNext(String, int, String)}, but only for a call about this user (user_id or chat_id). */
    public FakeBotApi failNextFor(String method, long userId, int status, String description) {
        faults.queue(method, BotApiFaults.Fault.error(status, description, userId));
        return this;
    }

    /**
     * The next call of {@code method} about this user is carried out (a gift is made and listed), and then answered
     * with this error anyway, as a proxy or an overloaded Telegram does: "502 after doing the work".
     */
    public FakeBotApi failNextAfterDoingFor(String method, long userId, int status, String description) {
        faults.queue(method, BotApiFaults.Fault.errorAfterDoing(status, description, userId));
        return this;
    }

    /**
     * Appends {@code count} Star transactions that are not gifts (Stars paid to the bot by users), as a busy bot's
     * history holds thousands of them before and between its gifts.
     */
    public FakeBotApi addIncomingStarPayments(int count) {
        long now = Instant.now().getEpochSecond();
        for (int i = 0; i < count; i++) {
            ObjectNode transaction = JSON.createObjectNode()
                    .put("id", "payment-" + starTransactions.size())
                    .put("amount", 100)
                    .put("date", now);
            ObjectNode source = transaction.putObject("source");
            source.put("type", "user");
            source.put("transaction_type", "invoice_payment");
            source.putObject("user").put("id", 42).put("is_bot", false).put("first_name", "Payer");
            starTransactions.add(transaction);
        }
        return this;
    }

    /** Lists a gift as made now, as if a call this fake never answered (a killed worker's) had been carried out. */
    public FakeBotApi addGiftTransaction(long userId, int months) {
        starTransactions.add(giftTransaction(userId, months, STARS_BY_MONTHS.get(months)));
        return this;
    }

    /**
     * A Stars payment as Telegram lists it (an incoming {@code invoice_payment} whose id is the charge id) and adds to
     * the bot's balance; a refund of the charge is then listed too, going back out with the same id.
     */
    public FakeBotApi addStarPayment(long userId, String chargeId, long stars, String payload) {
        starPayment(userId, chargeId);
        starPaymentAmounts.put(chargeId, stars);
        ObjectNode source = userPartner(listed(chargeId, stars, "source"), userId, "invoice_payment");
        source.put("invoice_payload", payload);
        starBalance.addAndGet(stars);
        return this;
    }

    /**
     * A buyer's chargeback with the store they bought their Stars from: the Stars of {@code chargeId} leave the bot's
     * balance without any refund of ours, listed as going back out to the buyer.
     */
    public FakeBotApi addChargeback(long userId, String chargeId, long stars) {
        userPartner(listed(chargeId, stars, "receiver"), userId, "invoice_payment");
        starBalance.addAndGet(-stars);
        return this;
    }

    /** Stars withdrawn through Fragment. */
    public FakeBotApi addWithdrawal(long stars) {
        listed("withdrawal-" + starTransactions.size(), stars, "receiver")
                .put("type", "fragment")
                .putObject("withdrawal_state")
                .put("type", "succeeded")
                .put("date", Instant.now().getEpochSecond())
                .put("url", "https://fragment.com/");
        starBalance.addAndGet(-stars);
        return this;
    }

    /** Paid broadcasts: {@code requestCount} messages above the free rate, paid from the bot's Stars. */
    public FakeBotApi addPaidBroadcast(long stars, int requestCount) {
        listed("broadcast-" + starTransactions.size(), stars, "receiver")
                .put("type", "telegram_api")
                .put("request_count", requestCount);
        starBalance.addAndGet(-stars);
        return this;
    }

    /** Stars spent on Telegram Ads. */
    public FakeBotApi addAdsPayment(long stars) {
        listed("ads-" + starTransactions.size(), stars, "receiver").put("type", "telegram_ads");
        starBalance.addAndGet(-stars);
        return this;
    }

    /** Stars a connected business account transferred to the bot ({@code transferBusinessAccountStars}). */
    public FakeBotApi addBusinessTransfer(long ownerId, long stars) {
        userPartner(
                listed("business-" + starTransactions.size(), stars, "source"), ownerId, "business_account_transfer");
        starBalance.addAndGet(stars);
        return this;
    }

    /** A transaction with a partner type this project does not know (Telegram adds kinds over time). */
    public FakeBotApi addUnknownStarTransaction(String partnerType, long stars, boolean incoming) {
        listed("unknown-" + starTransactions.size(), stars, incoming ? "source" : "receiver")
                .put("type", partnerType);
        starBalance.addAndGet(incoming ? stars : -stars);
        return this;
    }

    /** Appends a transaction made now and answers its (empty) partner object under {@code side}. */
    private ObjectNode listed(String id, long stars, String side) {
        ObjectNode transaction = JSON.createObjectNode()
                .put("id", id)
                .put("amount", stars)
                .put("date", Instant.now().getEpochSecond());
        ObjectNode partner = transaction.putObject(side);
        starTransactions.add(transaction);
        return partner;
    }

    private static ObjectNode userPartner(ObjectNode partner, long userId, String transactionType) {
        partner.put("type", "user");
        partner.put("transaction_type", transactionType);
        partner.putObject("user").put("id", userId).put("is_bot", false).put("first_name", "User" + userId);
        return partner;
    }

    /** How many Star transactions the bot has. */
    public int starTransactionCount() {
        return starTransactions.size();
    }

    /** The next call of {@code method} answers 429 with {@code retry_after}. */
    public FakeBotApi rateLimitNext(String method, int retryAfterSeconds) {
        faults.queue(method, BotApiFaults.Fault.tooManyRequests(retryAfterSeconds, null));
        return this;
    }

    /** Like {@link #rateLimitNext(String, int)}, but only for a call about this user. */
    public FakeBotApi rateLimitNextFor(String method, long userId, int retryAfterSeconds) {
        faults.queue(method, BotApiFaults.Fault.tooManyRequests(retryAfterSeconds, userId));
        return this;
    }

    /**
     * The next call of {@code method} about this user answers 429 with {@code retry_after} and starts a flood wait of
     * the whole bot, as Telegram plays one: until it has passed, every send (a gift, a message, a refund, ...) is
     * answered 429 with what is left of it; reads are answered.
     */
    public FakeBotApi floodWaitOnNextFor(String method, long userId, int retryAfterSeconds) {
        faults.queue(method, BotApiFaults.Fault.floodWait(retryAfterSeconds, userId));
        return this;
    }

    /**
     * Telegram is down: the fake stops listening, so every connection is refused (and open ones are closed) until
     * {@link #comeBack()}. Nothing sent meanwhile reaches it.
     */
    public synchronized FakeBotApi goDown() {
        if (!down) {
            down = true;
            server.stop(0);
        }
        return this;
    }

    /** Telegram is back, on the same address, with everything it knew. */
    public synchronized FakeBotApi comeBack() {
        if (down) {
            server = LoopbackHttp.start("fake-bot-api", port, 256, this::handle);
            down = false;
        }
        return this;
    }

    /**
     * Telegram stalls, as it was seen to for 100 s: from now on every request is accepted and held, unanswered and not
     * carried out, until {@link #catchUp()}. Requests are recorded in {@link #calls()} as they arrive.
     */
    public FakeBotApi stall() {
        faults.stall();
        return this;
    }

    /**
     * Telegram catches up: every request it held is carried out in arrival order (a gift is made and listed by
     * getStarTransactions, at the time it is carried out) and answered; an answer to a client that gave up and closed
     * its connection goes nowhere, but the work is done. Requests that never reached it are never carried out.
     */
    public FakeBotApi catchUp() {
        faults.catchUp();
        return this;
    }

    /** The next call of {@code method} is carried out but its answer comes only after {@code delay}. */
    public FakeBotApi hangNext(String method, Duration delay) {
        faults.queue(method, BotApiFaults.Fault.hang(delay, null));
        return this;
    }

    /** Like {@link #hangNext(String, Duration)}, but only for a call about this user. */
    public FakeBotApi hangNextFor(String method, long userId, Duration delay) {
        faults.queue(method, BotApiFaults.Fault.hang(delay, userId));
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String prefix = "/bot" + token + "/";
            if (!path.startsWith("/bot")) {
                send(exchange, 404, error(404, "Not Found"));
                return;
            }
            if (!path.startsWith(prefix)) {
                send(exchange, 401, error(401, "Unauthorized"));
                return;
            }
            String method = path.substring(prefix.length());
            Map<String, String> params = LoopbackHttp.params(exchange);
            calls.add(new Call(method, params, Instant.now()));
            BotApiFaults.Turn turn = faults.holdWhileStalled();
            try {
                if (turn == null || !turn.dropped()) {
                    serve(exchange, method, params);
                }
            } finally {
                if (turn != null) {
                    turn.done();
                }
            }
        } catch (BadParameter e) {
            send(exchange, 400, error(400, e.getMessage()));
        } catch (RuntimeException e) {
            send(exchange, 500, error(500, "Internal Server Error: " + e.getMessage()));
        }
    }

    /** Carries the call out and answers it; an answer to a client that already hung up goes nowhere. */
    private void serve(HttpExchange exchange, String method, Map<String, String> params) throws IOException {
        boolean limited = faults.overRateLimit(method);
        int floodLeft = faults.floodSecondsLeft(method);
        if (!faults.latency().isZero()) {
            LoopbackHttp.pause(faults.latency());
        }
        if (floodLeft > 0) {
            // as Telegram: inside the bot's flood wait a send is refused with what is left of it
            ObjectNode body = error(429, "Too Many Requests: retry after " + floodLeft);
            body.putObject("parameters").put("retry_after", floodLeft);
            send(exchange, 429, body);
            return;
        }
        if (limited) {
            ObjectNode body = error(429, "Too Many Requests: retry after 1");
            body.putObject("parameters").put("retry_after", 1);
            send(exchange, 429, body);
            return;
        }
        BotApiFaults.Fault fault = faults.next(method, params);
        if (fault != null && fault.carriedOut()) {
            answer(method, params);
        }
        if (fault != null && fault.hang() == null) {
            ObjectNode body = error(fault.status(), fault.description());
            if (fault.retryAfter() != null) {
                body.putObject("parameters").put("retry_after", fault.retryAfter());
            }
            if (fault.startsFloodWait()) {
                faults.floodFor(Duration.ofSeconds(fault.retryAfter()));
            }
            send(exchange, fault.status(), body);
            return;
        }
        Answer answer = answer(method, params);
        if (fault != null) {
            LoopbackHttp.pause(fault.hang());
        }
        send(exchange, answer.status(), answer.body());
    }

    private record Answer(int status, ObjectNode body) {}

    private Answer answer(String method, Map<String, String> params) {
        return switch (method) {
            case "getMe" ->
                ok(JSON.createObjectNode().put("id", 1).put("is_bot", true).put("username", "premium_test_bot"));
            case "giftPremiumSubscription" -> gift(params);
            case "getMyStarBalance" -> ok(JSON.createObjectNode().put("amount", starBalance.get()));
            case "getStarTransactions" -> starTransactions(params);
            case "getChat" -> chat(params);
            case "sendMessage" -> message(params);
            case "answerCallbackQuery", "answerPreCheckoutQuery" -> okTrue();
            case "setWebhook" -> setWebhook(params);
            case "deleteWebhook" -> deleteWebhook();
            case "getWebhookInfo" -> ok(webhookInfo());
            case "setMyCommands" -> setMyCommands(params);
            case "getMyCommands" -> getMyCommands(params);
            case "deleteMyCommands" -> deleteMyCommands(params);
            case "refundStarPayment" -> refund(params);
            case "sendInvoice" -> message(params);
            default -> new Answer(404, error(404, "Not Found: method not found"));
        };
    }

    /**
     * As Telegram: {@code url} is required, an empty one removes the webhook, anything else must be HTTPS;
     * {@code max_connections} 1-100 (default 40); {@code allowed_updates} a JSON array kept as sent.
     */
    private Answer setWebhook(Map<String, String> params) {
        String url = params.get("url");
        if (url == null) {
            throw new BadParameter("Bad Request: parameter \"url\" is required");
        }
        if (url.isEmpty()) {
            return deleteWebhook();
        }
        if (!url.startsWith("https://")) {
            return badRequest("bad webhook: An HTTPS URL must be provided for webhook");
        }
        int maxConnections = params.containsKey("max_connections") ? (int) requiredLong(params, "max_connections") : 40;
        if (maxConnections < 1 || maxConnections > 100) {
            return badRequest("bad webhook: max_connections must be between 1 and 100");
        }
        String secret = params.get("secret_token");
        if (secret != null && !secret.matches("[A-Za-z0-9_-]{1,256}")) {
            return badRequest("bad webhook: secret token contains unallowed characters");
        }
        ObjectNode set = JSON.createObjectNode().put("url", url).put("max_connections", maxConnections);
        if (params.containsKey("allowed_updates")) {
            try {
                set.set("allowed_updates", JSON.readTree(params.get("allowed_updates")));
            } catch (IOException e) {
                return badRequest("can't parse allowed updates JSON array");
            }
        }
        webhook = set;
        ObjectNode body =
                JSON.createObjectNode().put("ok", true).put("result", true).put("description", "Webhook was set");
        return new Answer(200, body);
    }

    private Answer deleteWebhook() {
        webhook = JSON.createObjectNode().put("url", "");
        ObjectNode body =
                JSON.createObjectNode().put("ok", true).put("result", true).put("description", "Webhook was deleted");
        return new Answer(200, body);
    }

    private static final String DEFAULT_SCOPE = "{\"type\":\"default\"}";

    /**
     * As Telegram: {@code commands} a JSON array of at most 100 BotCommand, each {@code command} 1-32 lowercase
     * letters, digits or underscores ("BOT_COMMAND_INVALID") and {@code description} 1-256 characters
     * ("BOT_COMMAND_DESCRIPTION_INVALID"); kept per {@code scope} (default: {@code {"type":"default"}}) and
     * {@code language_code} (empty or two lowercase letters), the same call again replacing the list with itself.
     */
    private Answer setMyCommands(Map<String, String> params) {
        String raw = params.get("commands");
        if (raw == null) {
            throw new BadParameter("Bad Request: parameter \"commands\" is required");
        }
        JsonNode list;
        try {
            list = JSON.readTree(raw);
        } catch (IOException e) {
            return badRequest("can't parse commands JSON object");
        }
        if (!list.isArray()) {
            return badRequest("can't parse commands JSON object");
        }
        if (list.size() > 100) {
            return badRequest("too many commands specified");
        }
        for (JsonNode command : list) {
            if (!command.path("command").asText("").matches("[a-z0-9_]{1,32}")) {
                return badRequest("BOT_COMMAND_INVALID");
            }
            int length = command.path("description")
                    .asText("")
                    .codePointCount(0, command.path("description").asText("").length());
            if (length < 1 || length > 256) {
                return badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
            }
        }
        String key = commandsKey(params);
        if (list.isEmpty()) {
            commands.remove(key);
        } else {
            commands.put(key, list);
        }
        return okTrue();
    }

    /** The list for exactly that scope and language; empty when none was set (as Telegram answers). */
    private Answer getMyCommands(Map<String, String> params) {
        JsonNode list = commands.get(commandsKey(params));
        return ok(list == null ? JSON.createArrayNode() : list);
    }

    private Answer deleteMyCommands(Map<String, String> params) {
        commands.remove(commandsKey(params));
        return okTrue();
    }

    private static String commandsKey(Map<String, String> params) {
        String language = params.getOrDefault("language_code", "");
        if (!language.isEmpty() && !language.matches("[a-z]{2}")) {
            throw new BadParameter("Bad Request: invalid language code specified");
        }
        String scope = params.get("scope");
        if (scope == null || scope.isEmpty()) {
            return commandsKey(DEFAULT_SCOPE, language);
        }
        try {
            JsonNode parsed = JSON.readTree(scope);
            if (!parsed.isObject() || !parsed.has("type")) {
                throw new BadParameter("Bad Request: can't parse BotCommandScope JSON object");
            }
            return commandsKey(JSON.writeValueAsString(parsed), language);
        } catch (IOException e) {
            throw new BadParameter("Bad Request: can't parse BotCommandScope JSON object");
        }
    }

    private static String commandsKey(String scope, String language) {
        return scope + "|" + language;
    }

    /**
     * getWebhookInfo's WebhookInfo: {@code url} ("" when none), {@code has_custom_certificate},
     * {@code pending_update_count}; {@code last_error_date}/{@code last_error_message} only once a delivery failed,
     * {@code max_connections} and {@code allowed_updates} only while a webhook is set.
     */
    private ObjectNode webhookInfo() {
        ObjectNode info = JSON.createObjectNode()
                .put("url", webhook.path("url").asText())
                .put("has_custom_certificate", false)
                .put("pending_update_count", pendingUpdates);
        if (!webhook.path("url").asText().isEmpty()) {
            info.put("max_connections", webhook.path("max_connections").asInt());
            if (webhook.has("allowed_updates")) {
                info.set("allowed_updates", webhook.get("allowed_updates"));
            }
        }
        if (lastWebhookErrorDate > 0) {
            info.put("last_error_date", lastWebhookErrorDate).put("last_error_message", lastWebhookErrorMessage);
        }
        return info;
    }

    private Answer gift(Map<String, String> params) {
        long userId = requiredLong(params, "user_id");
        int months = (int) requiredLong(params, "month_count");
        long stars = requiredLong(params, "star_count");
        if (!exists(userId)) {
            return badRequest("user not found");
        }
        Integer expectedStars = STARS_BY_MONTHS.get(months);
        if (expectedStars == null) {
            return badRequest("MONTH_INVALID");
        }
        if (expectedStars != stars) {
            return badRequest("GIFT_STARS_INVALID");
        }
        long before = starBalance.getAndUpdate(balance -> balance >= stars ? balance - stars : balance);
        if (before < stars) {
            return badRequest("BALANCE_TOO_LOW");
        }
        starTransactions.add(giftTransaction(userId, months, stars));
        return okTrue();
    }

    private ObjectNode giftTransaction(long userId, int months, long stars) {
        ObjectNode transaction = JSON.createObjectNode()
                .put("id", "gift-" + starTransactions.size() + "-" + userId)
                .put("amount", stars)
                .put("date", Instant.now().getEpochSecond());
        ObjectNode receiver = transaction.putObject("receiver");
        receiver.put("type", "user");
        receiver.put("transaction_type", "premium_purchase");
        receiver.put("premium_subscription_duration", months);
        receiver.putObject("user").put("id", userId).put("is_bot", false).put("first_name", "User" + userId);
        return transaction;
    }

    /**
     * As Telegram: {@code true} once per charge; the same charge again is "CHARGE_ALREADY_REFUNDED"; a charge made by
     * another user (when the test told the fake who paid it, {@link #starPayment}) is "CHARGE_NOT_FOUND".
     */
    private Answer refund(Map<String, String> params) {
        long userId = requiredLong(params, "user_id");
        String chargeId = params.get("telegram_payment_charge_id");
        if (chargeId == null || chargeId.isEmpty()) {
            throw new BadParameter("Bad Request: parameter \"telegram_payment_charge_id\" is required");
        }
        Long payer = starPayers.get(chargeId);
        if (payer != null && payer != userId) {
            return badRequest("CHARGE_NOT_FOUND");
        }
        if (!refundedCharges.add(chargeId)) {
            return badRequest("CHARGE_ALREADY_REFUNDED");
        }
        Long stars = starPaymentAmounts.get(chargeId);
        if (stars != null) {
            // a payment this fake listed: its refund is listed too, going out with the payment's id
            userPartner(listed(chargeId, stars, "receiver"), userId, "invoice_payment");
            starBalance.addAndGet(-stars);
        }
        return okTrue();
    }

    private Answer starTransactions(Map<String, String> params) {
        int offset = params.containsKey("offset") ? Integer.parseInt(params.get("offset")) : 0;
        int limit = params.containsKey("limit") ? Integer.parseInt(params.get("limit")) : 100;
        if (limit < 1 || limit > 100 || offset < 0) {
            return badRequest("invalid limit or offset: limit must be 1-100");
        }
        List<ObjectNode> all = new ArrayList<>(starTransactions);
        ObjectNode result = JSON.createObjectNode();
        var array = result.putArray("transactions");
        all.stream().skip(offset).limit(limit).forEach(array::add);
        return ok(result);
    }

    private Answer chat(Map<String, String> params) {
        if (params.getOrDefault("chat_id", "").startsWith("@")) {
            // a username finds public channels and supergroups only, never a private user
            return badRequest("chat not found");
        }
        long chatId = requiredLong(params, "chat_id");
        if (!exists(chatId)) {
            return badRequest("chat not found");
        }
        ObjectNode chat =
                JSON.createObjectNode().put("id", chatId).put("type", "private").put("first_name", "User" + chatId);
        String username = usernames.get(chatId);
        if (username != null) {
            chat.put("username", username);
        }
        chat.putObject("accepted_gift_types")
                .put("unlimited_gifts", true)
                .put("limited_gifts", true)
                .put("unique_gifts", true)
                .put("premium_subscription", !refusingPremiumGifts.contains(chatId));
        return ok(chat);
    }

    private Answer message(Map<String, String> params) {
        long chatId = requiredLong(params, "chat_id");
        if (blockedBot.contains(chatId)) {
            return new Answer(403, error(403, "Forbidden: bot was blocked by the user"));
        }
        if (!exists(chatId)) {
            return badRequest("chat not found");
        }
        String text = params.getOrDefault("text", params.get("title"));
        if (text == null || text.isEmpty()) {
            return badRequest("message text is empty");
        }
        if (text.length() > 4096) {
            return badRequest("message is too long");
        }
        ObjectNode message = JSON.createObjectNode()
                .put("message_id", messageIds.getAndIncrement())
                .put("date", Instant.now().getEpochSecond())
                .put("text", text);
        message.putObject("chat").put("id", chatId).put("type", "private");
        return ok(message);
    }

    private boolean exists(long userId) {
        return acceptAllUsers || knownUsers.contains(userId);
    }

    private static long requiredLong(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null) {
            throw new BadParameter("Bad Request: parameter \"" + name + "\" is required");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BadParameter("Bad Request: invalid " + name + " specified");
        }
    }

    private static final class BadParameter extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadParameter(String message) {
            super(message);
        }
    }

    private static Answer ok(JsonNode result) {
        ObjectNode body = JSON.createObjectNode().put("ok", true);
        body.set("result", result);
        return new Answer(200, body);
    }

    private static Answer okTrue() {
        return new Answer(200, JSON.createObjectNode().put("ok", true).put("result", true));
    }

    private static Answer badRequest(String what) {
        return new Answer(400, error(400, "Bad Request: " + what));
    }

    private static ObjectNode error(int code, String description) {
        return JSON.createObjectNode().put("ok", false).put("error_code", code).put("description", description);
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        LoopbackHttp.sendJson(exchange, status, body);
    }

    /** For the URL a client must not log: the fake knows its own token. */
    public URI methodUri(String method) {
        return URI.create(baseUrl() + "/bot" + token + "/" + method);
    }

    @Override
    public synchronized void close() {
        // requests a stall still holds are forgotten, not carried out
        faults.reset();
        if (!down) {
            down = true;
            server.stop(0);
        }
    }
}
