package io.premiumbot.testkit;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A TronGrid on loopback that answers {@code GET /v1/accounts/{address}/transactions/trc20} as the real one does
 * (docs/contracts.md, "What we rely on from Telegram and TronGrid"): {@code only_confirmed} /
 * {@code only_unconfirmed},
 * {@code only_to} / {@code only_from}, {@code limit} (default 20, max 200), {@code order_by=block_timestamp,asc|desc},
 * {@code min_timestamp} / {@code max_timestamp}, {@code contract_address}, and paging by an opaque
 * {@code fingerprint} that is only valid with the filters it was issued for. Tests add transfers (confirmed or not,
 * any token, fake ones included), script faults for the next calls (429, 5xx) and read the requests it saw,
 * with the {@code TRON-PRO-API-KEY} header each carried. Like the real listing it has one row per {@code Transfer}
 * event, with no event index: a multi-send transaction ({@link #addTransaction}) is several rows with one
 * {@code transaction_id}, listed in no promised order among themselves ({@link #reverseEventsWithinTransactions}).
 */
public final class FakeTronGrid implements AutoCloseable {

    /** The USDT-TRC20 contract on mainnet. */
    public static final String USDT_CONTRACT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";

    private static final ObjectMapper JSON = LoopbackHttp.JSON;
    private static final String PATH_PREFIX = "/v1/accounts/";
    private static final String PATH_SUFFIX = "/transactions/trc20";
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 200;

    /** One TRC20 token transfer as TronGrid lists it; {@code value} in the token's smallest units. */
    public record Transfer(
            String transactionId,
            String tokenAddress,
            String tokenSymbol,
            int tokenDecimals,
            String tokenName,
            long blockTimestamp,
            String from,
            String to,
            String type,
            String value,
            boolean confirmed) {

        /** A confirmed USDT transfer of {@code micros} (6 decimals) to {@code to}. */
        public static Transfer usdt(String from, String to, long micros, Instant blockTime) {
            return new Transfer(
                    randomTxId(),
                    USDT_CONTRACT,
                    "USDT",
                    6,
                    "Tether USD",
                    blockTime.toEpochMilli(),
                    from,
                    to,
                    "Transfer",
                    Long.toString(micros),
                    true);
        }

        public Transfer withToken(String address, String symbol, int decimals) {
            return new Transfer(
                    transactionId,
                    address,
                    symbol,
                    decimals,
                    tokenName,
                    blockTimestamp,
                    from,
                    to,
                    type,
                    value,
                    confirmed);
        }

        public Transfer unconfirmed() {
            return new Transfer(
                    transactionId,
                    tokenAddress,
                    tokenSymbol,
                    tokenDecimals,
                    tokenName,
                    blockTimestamp,
                    from,
                    to,
                    type,
                    value,
                    false);
        }

        public Transfer withTransactionId(String id) {
            return new Transfer(
                    id,
                    tokenAddress,
                    tokenSymbol,
                    tokenDecimals,
                    tokenName,
                    blockTimestamp,
                    from,
                    to,
                    type,
                    value,
                    confirmed);
        }
    }

    /** One request as the fake received it. */
    public record Request(String address, Map<String, String> params, String apiKey, int status) {}

    private record Fault(int status, String error) {}

    /** What a fingerprint stands for: the next offset into the result of exactly these filters. */
    private record Cursor(String address, Map<String, String> filters, int offset) {}

    private final HttpServer server;
    private final List<Transfer> transfers = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Map<String, Cursor> fingerprints = new ConcurrentHashMap<>();
    private volatile boolean eventsReversed;

    private FakeTronGrid(int port) {
        this.server = LoopbackHttp.start("fake-trongrid", port, 64, this::handle);
    }

    public static FakeTronGrid start() {
        return start(0);
    }

    public static FakeTronGrid start(int port) {
        return new FakeTronGrid(port);
    }

    /** The value for {@code TRON_API_URL}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeTronGrid add(Transfer transfer) {
        transfers.add(transfer);
        return this;
    }

    /**
     * One transaction carrying several transfers, as a payout service's multi-send contract makes it: every transfer
     * gets the first one's transaction id and block time (one {@code Transfer} event, one row each).
     */
    public FakeTronGrid addTransaction(Transfer first, Transfer... more) {
        transfers.add(first);
        for (Transfer transfer : more) {
            transfers.add(new Transfer(
                    first.transactionId(),
                    transfer.tokenAddress(),
                    transfer.tokenSymbol(),
                    transfer.tokenDecimals(),
                    transfer.tokenName(),
                    first.blockTimestamp(),
                    transfer.from(),
                    transfer.to(),
                    transfer.type(),
                    transfer.value(),
                    first.confirmed()));
        }
        return this;
    }

    /**
     * From now on, the events of one transaction are listed in the reverse of the order they were added: TronGrid
     * promises no order among them, so nothing may depend on it.
     */
    public FakeTronGrid reverseEventsWithinTransactions() {
        eventsReversed = true;
        return this;
    }

    /** Confirms every unconfirmed transfer with this id (it became solidified). */
    public FakeTronGrid confirm(String transactionId) {
        transfers.replaceAll(t -> t.transactionId().equals(transactionId)
                ? new Transfer(
                        t.transactionId(),
                        t.tokenAddress(),
                        t.tokenSymbol(),
                        t.tokenDecimals(),
                        t.tokenName(),
                        t.blockTimestamp(),
                        t.from(),
                        t.to(),
                        t.type(),
                        t.value(),
                        true)
                : t);
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The next call answers 429 Too Many Requests. */
    public FakeTronGrid rateLimitNext() {
        return failNext(429, "rate limit exceeded, slow down");
    }

    /** The next call answers with this status (e.g. 500, 503). */
    public FakeTronGrid failNext(int status, String error) {
        synchronized (faults) {
            faults.addLast(new Fault(status, error));
        }
        return this;
    }

    public void reset() {
        transfers.clear();
        eventsReversed = false;
        requests.clear();
        fingerprints.clear();
        synchronized (faults) {
            faults.clear();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String apiKey = exchange.getRequestHeaders().getFirst("TRON-PRO-API-KEY");
            Map<String, String> params = LoopbackHttp.query(exchange);
            if (!"GET".equals(exchange.getRequestMethod())
                    || !path.startsWith(PATH_PREFIX)
                    || !path.endsWith(PATH_SUFFIX)) {
                send(exchange, 404, error(404, "not found"));
                return;
            }
            String address = path.substring(PATH_PREFIX.length(), path.length() - PATH_SUFFIX.length());
            Fault fault;
            synchronized (faults) {
                fault = faults.pollFirst();
            }
            if (fault != null) {
                requests.add(new Request(address, params, apiKey, fault.status()));
                send(exchange, fault.status(), error(fault.status(), fault.error()));
                return;
            }
            ObjectNode body;
            try {
                body = list(address, params);
            } catch (BadParameter e) {
                requests.add(new Request(address, params, apiKey, 400));
                send(exchange, 400, error(400, e.getMessage()));
                return;
            }
            requests.add(new Request(address, params, apiKey, 200));
            send(exchange, 200, body);
        } catch (RuntimeException e) {
            send(exchange, 500, error(500, "internal error: " + e.getMessage()));
        }
    }

    private ObjectNode list(String address, Map<String, String> params) {
        boolean onlyConfirmed = flag(params, "only_confirmed");
        boolean onlyUnconfirmed = flag(params, "only_unconfirmed");
        if (onlyConfirmed && onlyUnconfirmed) {
            throw new BadParameter("only_confirmed and only_unconfirmed can not be both true");
        }
        int limit = params.containsKey("limit") ? integer(params, "limit") : DEFAULT_LIMIT;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadParameter("limit must be between 1 and " + MAX_LIMIT);
        }
        Comparator<Transfer> order = order(params.getOrDefault("order_by", "block_timestamp,desc"));
        Long minTimestamp = params.containsKey("min_timestamp") ? longValue(params, "min_timestamp") : null;
        Long maxTimestamp = params.containsKey("max_timestamp") ? longValue(params, "max_timestamp") : null;
        String contract = params.get("contract_address");
        boolean onlyTo = flag(params, "only_to");
        boolean onlyFrom = flag(params, "only_from");

        Map<String, String> filters = new LinkedHashMap<>(params);
        filters.remove("fingerprint");
        filters.remove("limit");
        int offset = 0;
        String fingerprint = params.get("fingerprint");
        if (fingerprint != null) {
            Cursor cursor = fingerprints.get(fingerprint);
            if (cursor == null
                    || !cursor.address().equals(address)
                    || !cursor.filters().equals(filters)) {
                throw new BadParameter("invalid fingerprint: the filters must stay the same while paging");
            }
            offset = cursor.offset();
        }

        List<Transfer> added = List.copyOf(transfers);
        Comparator<Integer> byPosition = eventsReversed ? Comparator.reverseOrder() : Comparator.naturalOrder();
        Comparator<Integer> listed =
                Comparator.<Integer, Transfer>comparing(added::get, order).thenComparing(byPosition);
        List<Transfer> matching = IntStream.range(0, added.size())
                .boxed()
                .sorted(listed)
                .map(added::get)
                .filter(t -> t.from().equals(address) || t.to().equals(address))
                .filter(t -> !onlyConfirmed || t.confirmed())
                .filter(t -> !onlyUnconfirmed || !t.confirmed())
                .filter(t -> !onlyTo || t.to().equals(address))
                .filter(t -> !onlyFrom || t.from().equals(address))
                .filter(t -> contract == null || contract.equals(t.tokenAddress()))
                .filter(t -> minTimestamp == null || t.blockTimestamp() >= minTimestamp)
                .filter(t -> maxTimestamp == null || t.blockTimestamp() <= maxTimestamp)
                .toList();
        List<Transfer> page = matching.stream().skip(offset).limit(limit).toList();

        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        page.forEach(t -> data.add(json(t)));
        body.put("success", true);
        ObjectNode meta = body.putObject("meta");
        meta.put("at", Instant.now().toEpochMilli());
        meta.put("page_size", page.size());
        int next = offset + page.size();
        if (next < matching.size()) {
            String token = UUID.randomUUID().toString().replace("-", "");
            fingerprints.put(token, new Cursor(address, filters, next));
            meta.put("fingerprint", token);
            Map<String, String> nextParams = new LinkedHashMap<>(params);
            nextParams.put("fingerprint", token);
            meta.putObject("links")
                    .put("next", baseUrl() + PATH_PREFIX + address + PATH_SUFFIX + "?" + encode(nextParams));
        }
        return body;
    }

    private static Comparator<Transfer> order(String orderBy) {
        Comparator<Transfer> ascending =
                Comparator.comparingLong(Transfer::blockTimestamp).thenComparing(Transfer::transactionId);
        return switch (orderBy) {
            case "block_timestamp,asc" -> ascending;
            case "block_timestamp,desc" -> ascending.reversed();
            default -> throw new BadParameter("invalid order_by: " + orderBy);
        };
    }

    private static ObjectNode json(Transfer t) {
        ObjectNode node = JSON.createObjectNode();
        node.put("transaction_id", t.transactionId());
        node.putObject("token_info")
                .put("symbol", t.tokenSymbol())
                .put("address", t.tokenAddress())
                .put("decimals", t.tokenDecimals())
                .put("name", t.tokenName());
        node.put("block_timestamp", t.blockTimestamp());
        node.put("from", t.from());
        node.put("to", t.to());
        node.put("type", t.type());
        node.put("value", t.value());
        return node;
    }

    private static ObjectNode error(int status, String message) {
        return JSON.createObjectNode()
                .put("success", false)
                .put("error", message)
                .put("statusCode", status);
    }

    private static boolean flag(Map<String, String> params, String name) {
        return "true".equalsIgnoreCase(params.get(name));
    }

    private static int integer(Map<String, String> params, String name) {
        return Math.toIntExact(longValue(params, name));
    }

    private static long longValue(Map<String, String> params, String name) {
        try {
            return Long.parseLong(params.get(name));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new BadParameter("invalid " + name + ": " + params.get(name));
        }
    }

    private static String encode(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String randomTxId() {
        return Stream.generate(() -> UUID.randomUUID().toString().replace("-", ""))
                .limit(2)
                .collect(Collectors.joining());
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        LoopbackHttp.sendJson(exchange, status, body);
    }

    private static final class BadParameter extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadParameter(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
