package io.premiumbot.worker.payments;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads confirmed incoming TRC20 transfers of one address from TronGrid
 * ({@code GET /v1/accounts/{address}/transactions/trc20}), oldest first, one page per call. Failures come back as a
 * typed {@link TronGridException}. The API key travels only in its header and never appears in an exception.
 */
@ApplicationScoped
public class TronGridClient {

    static final String API_KEY_HEADER = "TRON-PRO-API-KEY";

    private final WebClient client;
    private final TronConfig config;
    private final String baseUrl;

    public TronGridClient(Vertx vertx, TronConfig config) {
        this.config = config;
        this.client = WebClient.create(
                vertx,
                new WebClientOptions()
                        .setConnectTimeout((int) Math.min(
                                Integer.MAX_VALUE, config.requestTimeout().toMillis()))
                        .setKeepAlive(true)
                        .setUserAgent("premium-worker"));
        String url = config.apiUrl();
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * One page of confirmed transfers to {@code address} of the USDT contract with a block time at or after
     * {@code minTimestamp}, ascending; {@code fingerprint} continues a previous page (same filters).
     */
    public Uni<TransferPage> incoming(String address, Instant minTimestamp, Optional<String> fingerprint) {
        HttpRequest<Buffer> request = client.getAbs(baseUrl + "/v1/accounts/" + address + "/transactions/trc20")
                .addQueryParam("only_confirmed", "true")
                .addQueryParam("only_to", "true")
                .addQueryParam("limit", Integer.toString(Math.max(1, Math.min(200, config.pageSize()))))
                .addQueryParam("order_by", "block_timestamp,asc")
                .addQueryParam("min_timestamp", Long.toString(minTimestamp.toEpochMilli()))
                .addQueryParam("contract_address", config.usdtContract())
                .timeout(config.requestTimeout().toMillis());
        fingerprint.ifPresent(value -> request.addQueryParam("fingerprint", value));
        config.apiKey().ifPresent(key -> request.putHeader(API_KEY_HEADER, key));
        return request.send().onFailure().transform(TronGridClient::notAnswered).map(TronGridClient::page);
    }

    private static TronGridException notAnswered(Throwable failure) {
        if (failure instanceof TronGridException known) {
            return known;
        }
        String what = failure instanceof ConnectException || failure instanceof UnknownHostException
                ? "connection failed"
                : failure instanceof TimeoutException ? "no answer in time" : "request failed";
        return new TronGridException.Unavailable(
                0, what + " (" + failure.getClass().getSimpleName() + ")", failure);
    }

    private static TransferPage page(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status == 429) {
            throw new TronGridException.RateLimited(brief(response));
        }
        if (status >= 500) {
            throw new TronGridException.Unavailable(status, "HTTP " + status + ": " + brief(response), null);
        }
        if (status != 200) {
            throw new TronGridException.Rejected(status, brief(response));
        }
        JsonObject body;
        try {
            body = response.bodyAsJsonObject();
        } catch (DecodeException e) {
            throw new TronGridException.BadAnswer("not JSON", e);
        }
        if (body == null
                || !Boolean.TRUE.equals(body.getValue("success"))
                || !(body.getValue("data") instanceof JsonArray data)) {
            throw new TronGridException.BadAnswer("no success=true with a data array", null);
        }
        List<Trc20Transfer> transfers = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            transfers.add(transfer(data.getValue(i)));
        }
        JsonObject meta = body.getJsonObject("meta");
        String fingerprint = meta == null ? null : meta.getString("fingerprint");
        return new TransferPage(transfers, Optional.ofNullable(fingerprint).filter(value -> !value.isBlank()));
    }

    private static Trc20Transfer transfer(Object element) {
        if (!(element instanceof JsonObject item)) {
            throw new TronGridException.BadAnswer("a data element is not an object", null);
        }
        try {
            String id = item.getString("transaction_id");
            Number blockTimestamp = (Number) item.getValue("block_timestamp");
            if (id == null || id.isBlank() || blockTimestamp == null) {
                throw new TronGridException.BadAnswer("a transfer without transaction_id or block_timestamp", null);
            }
            JsonObject token = item.getJsonObject("token_info", new JsonObject());
            Object decimals = token.getValue("decimals");
            return new Trc20Transfer(
                    id,
                    token.getString("address"),
                    token.getString("symbol"),
                    decimals instanceof Number number ? Integer.valueOf(number.intValue()) : null,
                    Instant.ofEpochMilli(blockTimestamp.longValue()),
                    item.getString("from"),
                    item.getString("to"),
                    item.getString("type"),
                    stringValue(item.getValue("value")));
        } catch (ClassCastException e) {
            throw new TronGridException.BadAnswer("a transfer field has the wrong type", e);
        }
    }

    private static String stringValue(Object value) {
        return value == null ? null : value.toString();
    }

    /** The start of an error body, for the log: TronGrid's error texts carry no secrets of ours. */
    private static String brief(HttpResponse<Buffer> response) {
        String text = response.bodyAsString();
        if (text == null) {
            return "(no body)";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
