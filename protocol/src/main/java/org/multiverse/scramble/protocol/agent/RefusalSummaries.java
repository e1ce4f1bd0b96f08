package org.multiverse.scramble.protocol.agent;

import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.agent.audit.AuditDecisions;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.ratelimit.BucketSpec;
import org.multiverse.scramble.protocol.ratelimit.PeerCache;
import org.multiverse.scramble.protocol.ratelimit.TokenBucket;
import org.multiverse.scramble.protocol.v1.AuditDecision;

/**
 * Keeps the audit log bounded under any attack: refusals of input that cannot be attributed,
 * duplicates and replays are what a sender without a key (or with only a captured envelope)
 * can cause at will, so only a few of them get an entry of their own; the rest are counted per
 * peer and reason and written as one {@code summary} entry per peer and interval (counts by
 * reason, first and last time). Whatever a peer sends, it causes at most
 * {@link #INDIVIDUAL_PER_PEER} entries plus one summary per {@link #INTERVAL}; all peers together
 * at most {@link #INDIVIDUAL_TOTAL} plus {@link #PEERS_PER_FLUSH} + 1 summaries per interval.
 *
 * <p>Thread-safe.
 */
final class RefusalSummaries implements Closeable {

    /** How often the counts are written; also the longest an operator waits to see a flood. */
    static final Duration INTERVAL = Duration.ofSeconds(10);
    /** Entries of their own per peer: 5 at once, then one a second, so a mistake is seen in full. */
    static final BucketSpec INDIVIDUAL_PER_PEER = new BucketSpec(5, 5000, 0);
    /** Entries of their own from all peers together, per second. */
    static final BucketSpec INDIVIDUAL_TOTAL = new BucketSpec(5, 1000, 0);
    /** Peers summarised one by one per interval; the others share one "other peers" entry. */
    static final int PEERS_PER_FLUSH = 32;
    /** Peers whose individual-entry budgets are remembered. */
    static final int PEERS_REMEMBERED = 4096;
    /** An entry's reason is cut here: the sender chose much of its text. */
    static final int MAX_REASON_CHARS = 400;

    private static final String OTHER_PEERS = "other peers";

    private final AuditLog audit;
    private final Clock clock;
    private final Consumer<String> log;
    private final PeerCache<TokenBucket> individual =
            new PeerCache<>(PEERS_REMEMBERED, () -> new TokenBucket(INDIVIDUAL_PER_PEER, System::nanoTime));
    private final TokenBucket individualTotal = new TokenBucket(INDIVIDUAL_TOTAL, System::nanoTime);
    /** Counts of the current interval, insertion ordered; at most PEERS_PER_FLUSH + 1 keys. */
    private final Map<String, Tally> tallies = new LinkedHashMap<>();

    private final ScheduledExecutorService flusher;

    /** What one peer did in one interval. */
    private static final class Tally {
        final Map<String, Long> byReason = new TreeMap<>();
        Instant first;
        Instant last;
        String identity;
        long total;

        void add(String reason, String who, Instant at) {
            byReason.merge(reason, 1L, Long::sum);
            total++;
            if (first == null) {
                first = at;
                identity = who;
            } else if (!who.equals(identity)) {
                identity = "unknown";
            }
            last = at;
        }
    }

    RefusalSummaries(AuditLog audit, Clock clock, Consumer<String> log, String threadName) {
        this.audit = audit;
        this.clock = clock;
        this.log = log;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        long period = INTERVAL.toMillis();
        flusher.scheduleAtFixedRate(this::flush, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Whether this refusal, duplicate or replay from {@code peer} gets an entry of its own; if
     * not, it was counted for the peer's next summary.
     *
     * @param reason a short, bounded key: an error code name or {@code duplicate}
     * @param identity the root identity it names, or {@code unknown}
     */
    boolean admit(String peer, String reason, String identity) {
        TokenBucket mine = individual.get(peer);
        synchronized (this) {
            if (mine.millisUntil(1) == 0 && individualTotal.tryConsume(1)) {
                mine.tryConsume(1);
                return true;
            }
            String key = tallies.containsKey(peer) || tallies.size() < PEERS_PER_FLUSH ? peer : OTHER_PEERS;
            tallies.computeIfAbsent(key, k -> new Tally()).add(reason, identity, Instant.now(clock));
            return false;
        }
    }

    /**
     * Writes one summary entry per peer counted since the last flush; the future completes when
     * they are on disk (nobody waits for it but tests: a flood does not get to wait for an fsync).
     */
    CompletableFuture<Void> flush() {
        List<AuditRecord> entries = new ArrayList<>();
        synchronized (this) {
            tallies.forEach((peer, t) -> entries.add(entry(peer, t)));
            tallies.clear();
        }
        List<CompletableFuture<Long>> written = new ArrayList<>();
        for (AuditRecord e : entries) {
            written.add(audit.append(e));
            log.accept("summary: " + e.reason());
        }
        return CompletableFuture.allOf(written.toArray(CompletableFuture[]::new));
    }

    private AuditRecord entry(String peer, Tally t) {
        StringBuilder reason = new StringBuilder()
                .append(t.total)
                .append(" not logged one by one from ")
                .append(peer)
                .append(" between ")
                .append(t.first)
                .append(" and ")
                .append(t.last)
                .append(':');
        t.byReason.forEach(
                (r, n) -> reason.append(' ').append(r).append(' ').append(n).append(','));
        reason.setLength(reason.length() - 1);
        return new AuditRecord(
                0,
                Instant.now(clock).toString(),
                t.identity,
                "-",
                "-",
                "-",
                AuditDecisions.text(AuditDecision.AUDIT_DECISION_SUMMARY),
                cut(reason.toString()),
                String.valueOf(t.total),
                0);
    }

    /** {@code text} cut to {@link #MAX_REASON_CHARS}. */
    static String cut(String text) {
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS - 1) + "…";
    }

    /** Stops the timer and writes what is still counted. */
    @Override
    public void close() {
        flusher.shutdownNow();
        flush();
    }
}
