package org.multiverse.scramble.protocol.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.multiverse.scramble.protocol.agent.audit.AuditDecisions;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.command.CommandCatalog;
import org.multiverse.scramble.protocol.v1.AuditDecision;
import org.multiverse.scramble.protocol.v1.Command;

/**
 * Routine reads, summarised: a command whose descriptor says it changes nothing
 * ({@code changes_state: false}) and that succeeded is not written as its own "accepted" and
 * "done" entries but counted, and every {@link #INTERVAL} one "queries" entry per session says
 * how many of each command it ran and between which times (SPEC.md §11 step 23). A dashboard
 * that asks eight questions every few seconds then costs one entry a minute, not thousands an
 * hour. Every state-changing command, every refusal and every query that failed or could not be
 * answered keeps its own entries.
 *
 * <p>Counts live in memory until written: a crash loses at most one interval of query counts,
 * never a state change. Thread-safe.
 */
final class QueryAudit implements AutoCloseable {

    /** How often counts are written: a minute is as fine as a person reading reads needs. */
    static final Duration INTERVAL = Duration.ofMinutes(1);

    /**
     * Sessions counted at once; one more writes every summary early, so memory stays bounded
     * whatever number of sessions read.
     */
    static final int MAX_SESSIONS = 1024;

    /** What one session asked in the current interval. */
    private static final class Counts {
        final String identity;
        final String session;
        final Instant first;
        Instant last;
        final Map<String, Long> byCommand = new TreeMap<>();

        Counts(String identity, String session, Instant first) {
            this.identity = identity;
            this.session = session;
            this.first = first;
            this.last = first;
        }
    }

    private final AuditLog audit;
    private final Clock clock;
    private final Consumer<String> log;
    private final Map<String, Counts> counts = new LinkedHashMap<>();
    private final ScheduledExecutorService timer;

    QueryAudit(AuditLog audit, Clock clock, Consumer<String> log) {
        this.audit = audit;
        this.clock = clock;
        this.log = log;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "query-audit");
            t.setDaemon(true);
            return t;
        });
        long every = INTERVAL.toMillis();
        timer.scheduleAtFixedRate(this::flush, every, every, TimeUnit.MILLISECONDS);
    }

    /** Whether a command of this kind is summarised when it succeeds: it changes nothing. */
    static boolean summarises(Command.KindCase kind) {
        return kind != Command.KindCase.KIND_NOT_SET && !CommandCatalog.of(kind).changesState();
    }

    /** Counts one successful, answered query of a session. */
    void count(String identity, String session, String command) {
        boolean full;
        synchronized (this) {
            Instant now = Instant.now(clock);
            Counts c = counts.computeIfAbsent(identity + "\n" + session, k -> new Counts(identity, session, now));
            c.last = now;
            c.byCommand.merge(command, 1L, Long::sum);
            full = counts.size() >= MAX_SESSIONS;
        }
        if (full) {
            flush();
        }
    }

    /** Writes one "queries" entry per session counted since the last flush. */
    void flush() {
        List<Counts> drained;
        synchronized (this) {
            if (counts.isEmpty()) {
                return;
            }
            drained = new ArrayList<>(counts.values());
            counts.clear();
        }
        for (Counts c : drained) {
            try {
                audit.append(record(c));
            } catch (RuntimeException e) {
                log.accept("audit write failed for a query summary: " + e.getMessage());
            }
        }
    }

    private AuditRecord record(Counts c) {
        StringBuilder reason = new StringBuilder();
        long total = 0;
        for (Map.Entry<String, Long> e : c.byCommand.entrySet()) {
            reason.append(reason.length() == 0 ? "" : ", ")
                    .append(e.getKey())
                    .append(" ")
                    .append(e.getValue());
            total += e.getValue();
        }
        reason.append(" (").append(c.first).append(" to ").append(c.last).append(")");
        return new AuditRecord(
                0,
                Instant.now(clock).toString(),
                c.identity,
                c.session,
                "-",
                total + (total == 1 ? " query" : " queries"),
                AuditDecisions.text(AuditDecision.AUDIT_DECISION_QUERIES),
                reason.toString(),
                "ok",
                0);
    }

    /** Writes what is counted and stops the timer. */
    @Override
    public void close() {
        timer.shutdownNow();
        flush();
    }
}
