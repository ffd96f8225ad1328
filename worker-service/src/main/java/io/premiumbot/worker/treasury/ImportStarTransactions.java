package io.premiumbot.worker.treasury;

import org.jboss.logging.Logger;

import io.premiumbot.worker.delivery.StarGifts;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Imports the bot's Star transactions on a schedule through the settlement's own reader ({@link StarGifts}: one
 * cursor, one lease, pages kept by {@link StarTransactionImport} as the cursor passes them), then explains what it can
 * and refreshes the gauges. A replica that finds the lease taken only classifies: the holder is importing.
 */
@ApplicationScoped
public class ImportStarTransactions {

    private static final Logger LOG = Logger.getLogger(ImportStarTransactions.class);

    private final StarGifts reader;
    private final StarTransactionClassifier classifier;
    private final UnexplainedStarGauges gauges;

    public ImportStarTransactions(
            StarGifts reader, StarTransactionClassifier classifier, UnexplainedStarGauges gauges) {
        this.reader = reader;
        this.classifier = classifier;
        this.gauges = gauges;
    }

    @Scheduled(
            identity = "import-star-transactions",
            every = "${worker.schedule.star-import-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return run().replaceWithVoid();
    }

    /** One run: read what was added (unless another replica is reading), classify, refresh; how many were explained. */
    public Uni<Integer> run() {
        return reader.read()
                .call(sync -> sync == null ? Uni.createFrom().voidItem() : reader.release(sync))
                .chain(classifier::classify)
                .call(gauges::refresh)
                .invoke(explained -> {
                    if (explained > 0) {
                        LOG.infof("event=star_transactions_explained count=%d", explained);
                    }
                });
    }
}
