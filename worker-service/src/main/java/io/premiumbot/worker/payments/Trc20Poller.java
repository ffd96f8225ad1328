package io.premiumbot.worker.payments;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.worker.notify.CustomerNotifications;
import io.premiumbot.worker.queue.JobQueue;
import io.premiumbot.worker.queue.WorkerConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.vertx.SafeVertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Polls TronGrid for confirmed USDT transfers to the shop's address, oldest first, page by page from the
 * persisted cursor minus an overlap. Each transfer is booked in its own transaction; after each fully processed
 * page the cursor moves to that page's last block time. A TronGrid failure stops the poll where it is: the cursor
 * stays, the next tick reads again, and the unique event id ({@link TransferEvent}: one transaction may carry several
 * transfers to us) makes the re-reading harmless. Several replicas may poll at once for the same reason.
 */
@Startup
@ApplicationScoped
public class Trc20Poller {

    private static final Logger LOG = Logger.getLogger(Trc20Poller.class);
    /** {@code ok} and every {@link TronGridException#kind()}. */
    private static final List<String> POLL_OUTCOMES =
            List.of("ok", "rate_limited", "unavailable", "rejected", "bad_answer");

    /** What one poll did. */
    public record PollResult(int pages, Map<TransferOutcome.Kind, Integer> outcomes) {

        public int count(TransferOutcome.Kind kind) {
            return outcomes.getOrDefault(kind, 0);
        }
    }

    private final TronGridClient tronGrid;
    private final IncomingTransfers transfers;
    private final Trc20Cursor cursor;
    private final JobQueue queue;
    private final TronConfig config;
    private final MeterRegistry registry;
    private final CustomerNotifications notifications;
    /** When a poll last read TronGrid to its end (or found no address to read); starts at the worker's start. */
    private final AtomicLong lastPolledEpochSecond =
            new AtomicLong(Instant.now().getEpochSecond());

    public Trc20Poller(
            TronGridClient tronGrid,
            IncomingTransfers transfers,
            Trc20Cursor cursor,
            JobQueue queue,
            TronConfig config,
            MeterRegistry registry,
            CustomerNotifications notifications,
            WorkerConfig worker) {
        this.notifications = notifications;
        this.tronGrid = tronGrid;
        this.transfers = transfers;
        this.cursor = cursor;
        this.queue = queue;
        this.config = config;
        this.registry = registry;
        // at zero from the start, so the first failed poll or unmatched transfer shows in rate()/increase()
        POLL_OUTCOMES.forEach(this::pollCounter);
        for (TransferOutcome.Kind kind : TransferOutcome.Kind.values()) {
            transferCounter(kind);
        }
        // a poller switched off on purpose reports no poll time at all, rather than one that looks stalled
        String every = worker.schedule().trc20Every().trim();
        if (!every.equalsIgnoreCase("off") && !every.equalsIgnoreCase("disabled")) {
            Gauge.builder("premium.trc20.last.poll.timestamp.seconds", lastPolledEpochSecond, AtomicLong::get)
                    .description("Unix time of this replica's last TronGrid poll that read to the end (a stalled or"
                            + " failing poller stops it)")
                    .register(registry);
        }
    }

    @Scheduled(
            identity = "trc20-poller",
            every = "${worker.schedule.trc20-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    @SafeVertxContext
    Uni<Void> onSchedule() {
        return poll().onFailure(TronGridException.class)
                .recoverWithItem(failure -> {
                    // TronGrid's trouble, not ours: nothing past the cursor was lost, the next tick reads again
                    LOG.warnf(
                            "event=trc20_poll_failed kind=%s status=%d retry=next_tick message=%s",
                            failure.kind(), failure.status(), failure.getMessage());
                    return null;
                })
                .replaceWithVoid();
    }

    /** One poll; fails with {@link TronGridException} when TronGrid gave no usable page. */
    @WithSpan("Trc20Poller.poll")
    public Uni<PollResult> poll() {
        Optional<String> address = config.receiveAddress().filter(value -> !value.isBlank());
        if (address.isEmpty()) {
            lastPolledEpochSecond.set(Instant.now().getEpochSecond());
            return Uni.createFrom().item(new PollResult(0, Map.of()));
        }
        Map<TransferOutcome.Kind, Integer> outcomes = new EnumMap<>(TransferOutcome.Kind.class);
        return cursor.read(address.get())
                .map(position -> position.map(at -> at.minus(config.overlap()))
                        .orElseGet(() -> Instant.now().minus(config.initialLookback())))
                .map(start -> start.isBefore(Instant.EPOCH) ? Instant.EPOCH : start)
                .flatMap(start ->
                        pages(address.get(), start, Optional.empty(), 1, new TransferEvent.Numbering(), outcomes))
                .map(pages -> new PollResult(pages, Map.copyOf(outcomes)))
                .invoke(this::countPoll)
                .onFailure(TronGridException.class)
                .invoke(failure -> pollCounter(failure.kind()).increment());
    }

    /** Reads page {@code number} and those after it, up to the per-poll limit; the number of pages read. */
    private Uni<Integer> pages(
            String address,
            Instant start,
            Optional<String> fingerprint,
            int number,
            TransferEvent.Numbering numbering,
            Map<TransferOutcome.Kind, Integer> outcomes) {
        return tronGrid.incoming(address, start, fingerprint)
                .flatMap(page -> book(page, address, numbering, outcomes)
                        .chain(() -> advanceCursor(address, page))
                        .chain(() -> page.fingerprint().isPresent() && number < config.maxPagesPerPoll()
                                ? pages(address, start, page.fingerprint(), number + 1, numbering, outcomes)
                                : Uni.createFrom().item(number)));
    }

    /** Books the page's transfer events one after the other, each in its own transaction, counting their outcomes. */
    private Uni<Void> book(
            TransferPage page,
            String address,
            TransferEvent.Numbering numbering,
            Map<TransferOutcome.Kind, Integer> outcomes) {
        return Multi.createFrom()
                .iterable(page.transfers())
                .map(numbering::next)
                .onItem()
                .transformToUniAndConcatenate(
                        event -> transfers.book(event, address).call(this::afterCommit))
                .invoke(outcome -> {
                    outcomes.merge(outcome.kind(), 1, Integer::sum);
                    transferCounter(outcome.kind()).increment();
                })
                .collect()
                .last()
                .replaceWithVoid();
    }

    /** Only once a page's transfers are booked does the cursor move past them. */
    private Uni<Void> advanceCursor(String address, TransferPage page) {
        return page.transfers().isEmpty() ? Uni.createFrom().voidItem() : cursor.advance(address, lastBlockTime(page));
    }

    /** A paid order's job goes out and its buyer is told; money that stayed in a wallet is told to its owner. */
    private Uni<Void> afterCommit(TransferOutcome outcome) {
        if (outcome.paidOrderId() != null) {
            return enqueue(outcome.paidOrderId()).call(() -> notifications.paid(outcome.paidOrderId()));
        }
        return outcome.credit() == null ? Uni.createFrom().voidItem() : notifications.credited(outcome.credit());
    }

    private static Instant lastBlockTime(TransferPage page) {
        return page.transfers().stream()
                .map(Trc20Transfer::blockTime)
                .max(Instant::compareTo)
                .orElseThrow();
    }

    /**
     * The delivery job of an order this poll paid, after its commit. A Redis failure is recorded and absorbed on
     * purpose: the order is PAID in PostgreSQL and the reconciler enqueues PAID orders whose job never came.
     */
    private Uni<Void> enqueue(String orderId) {
        return queue.enqueueFirst(orderId)
                .invoke(() -> LOG.infof("event=delivery_enqueued orderId=%s source=trc20", orderId))
                .onFailure()
                .recoverWithUni(failure -> {
                    LOG.errorf(failure, "event=delivery_enqueue_failed orderId=%s recovery=reconciler", orderId);
                    return Uni.createFrom().voidItem();
                });
    }

    private void countPoll(PollResult result) {
        pollCounter("ok").increment();
        lastPolledEpochSecond.set(Instant.now().getEpochSecond());
        if (result.count(TransferOutcome.Kind.CREDITED) + result.count(TransferOutcome.Kind.UNMATCHED) > 0) {
            LOG.infof(
                    "event=trc20_poll pages=%d credited=%d unmatched=%d ignored=%d duplicate=%d",
                    result.pages(),
                    result.count(TransferOutcome.Kind.CREDITED),
                    result.count(TransferOutcome.Kind.UNMATCHED),
                    result.count(TransferOutcome.Kind.IGNORED),
                    result.count(TransferOutcome.Kind.DUPLICATE));
        }
    }

    private Counter pollCounter(String outcome) {
        return Counter.builder("premium_trc20_polls")
                .description("TronGrid polls by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    private Counter transferCounter(TransferOutcome.Kind kind) {
        return Counter.builder("premium_trc20_transfers")
                .description("Incoming TRC20 transfers seen, by what became of them")
                .tag("outcome", kind.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry);
    }
}
