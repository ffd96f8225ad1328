package io.premiumbot.worker.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which listed gifts prove which attempts, for one recipient and month count. A gift call returns no transaction id,
 * so a gift can only be told by recipient, months and time: each attempt has a window in which its gift, if any, was
 * made. Attempts whose windows overlap form a cluster, decided only once it is closed — no attempt in it still in
 * flight, and every gift any of them made surely listed by the read (or, sooner, when no window is open any more and
 * the gifts already listed give each its own) — and then at once: a maximum matching of
 * attempts to gifts, attempts Telegram answered {@code true} first (each made exactly one gift), then the ambiguous
 * ones, earliest first. Every matched attempt is proven by its own gift; an ambiguous attempt left over provably made
 * none (if it had, a bigger matching would exist); a {@code true} attempt left over means Telegram's list lacks a gift
 * it reported, which is logged and proves nothing else.
 */
final class GiftMatching {

    private GiftMatching() {}

    /**
     * One attempt that may have made a gift: made no earlier than {@code from} and no later than {@code until} (null:
     * Telegram may still make it), listed by {@code visibleBy} at the latest (null: not known yet).
     */
    record Claimant(long attemptId, boolean answeredTrue, Instant from, Instant until, Instant visibleBy) {

        boolean covers(Instant madeAt) {
            return !madeAt.isBefore(from) && (until == null || !madeAt.isAfter(until));
        }
    }

    record Gift(String transactionId, Instant madeAt) {}

    /** Gifts proven per attempt, and the attempts of closed clusters that no gift is left for. */
    record Decision(Map<Long, String> proven, List<Long> noGift) {}

    /** Decides the closed clusters among {@code claimants}, given the gifts no attempt names yet, listed as of {@code listedAt}. */
    static Decision decide(List<Claimant> claimants, List<Gift> unattributed, Instant listedAt) {
        Map<Long, String> proven = new LinkedHashMap<>();
        List<Long> noGift = new ArrayList<>();
        for (List<Claimant> cluster : clusters(claimants)) {
            List<Gift> gifts = unattributed.stream()
                    .filter(gift -> cluster.stream().anyMatch(c -> c.covers(gift.madeAt())))
                    .sorted(Comparator.comparing(Gift::madeAt).thenComparing(Gift::transactionId))
                    .toList();
            if (!closed(cluster, listedAt)) {
                // no window open and a gift listed for every attempt already: whatever is listed later proves none of
                // them
                Map<Long, String> everyone = bounded(cluster) ? match(cluster, gifts) : null;
                if (everyone != null) {
                    proven.putAll(everyone);
                }
                continue;
            }
            List<Claimant> chosen = new ArrayList<>();
            for (Claimant candidate : byPriority(cluster)) {
                chosen.add(candidate);
                if (match(chosen, gifts) == null) {
                    chosen.remove(chosen.size() - 1);
                    noGift.add(candidate.attemptId());
                }
            }
            proven.putAll(match(chosen, gifts));
        }
        return new Decision(proven, noGift);
    }

    /** Overlapping windows, swept by start; an open window ({@code until} null) joins everything after it. */
    static List<List<Claimant>> clusters(List<Claimant> claimants) {
        List<Claimant> sorted = claimants.stream()
                .sorted(Comparator.comparing(Claimant::from).thenComparingLong(Claimant::attemptId))
                .toList();
        List<List<Claimant>> clusters = new ArrayList<>();
        List<Claimant> current = new ArrayList<>();
        Instant end = null;
        boolean open = false;
        for (Claimant claimant : sorted) {
            if (!current.isEmpty() && !open && claimant.from().isAfter(end)) {
                clusters.add(current);
                current = new ArrayList<>();
            }
            if (current.isEmpty()) {
                end = claimant.until();
                open = end == null;
            } else if (claimant.until() == null) {
                open = true;
            } else if (!open && claimant.until().isAfter(end)) {
                end = claimant.until();
            }
            current.add(claimant);
        }
        if (!current.isEmpty()) {
            clusters.add(current);
        }
        return clusters;
    }

    private static boolean closed(List<Claimant> cluster, Instant listedAt) {
        return cluster.stream()
                .allMatch(c -> c.until() != null
                        && c.visibleBy() != null
                        && !c.visibleBy().isAfter(listedAt));
    }

    private static boolean bounded(List<Claimant> cluster) {
        return cluster.stream().allMatch(c -> c.until() != null);
    }

    /** Answered {@code true} first (they surely made one), each group earliest first. */
    private static List<Claimant> byPriority(List<Claimant> cluster) {
        return cluster.stream()
                .sorted(Comparator.comparing((Claimant c) -> !c.answeredTrue())
                        .thenComparing(Claimant::from)
                        .thenComparingLong(Claimant::attemptId))
                .toList();
    }

    /**
     * A matching that gives every one of {@code claimants} its own gift, or null when none exists: gifts in time order,
     * each to the waiting claimant whose window closes first (which finds a maximum matching of points to intervals).
     */
    static Map<Long, String> match(List<Claimant> claimants, List<Gift> gifts) {
        Map<Long, String> matched = new HashMap<>();
        for (Gift gift : gifts) {
            claimants.stream()
                    .filter(c -> !matched.containsKey(c.attemptId()) && c.covers(gift.madeAt()))
                    .min(Comparator.comparing(Claimant::until).thenComparingLong(Claimant::attemptId))
                    .ifPresent(c -> matched.put(c.attemptId(), gift.transactionId()));
        }
        return matched.size() == claimants.size() ? matched : null;
    }
}
