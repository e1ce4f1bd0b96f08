package org.multiverse.scramble.protocol.agent.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * Anchors a running agent's audit chain: checks it against the agent's signed checkpoints when
 * the agent starts (refusing a log that no longer matches them, as {@link AuditLog#open}
 * refuses a broken chain), then signs a new checkpoint of the durable head at start, every
 * {@link #INTERVAL} while the chain grows, and at shutdown (SPEC §13.4).
 */
public final class AuditAnchor implements AutoCloseable {

    /**
     * How often a growing chain gets a signed checkpoint: bounds what someone with the agent's
     * files can cut from the newest end unseen by an offline check to about half a minute of
     * entries, at the cost of one signature and one fsync per interval.
     */
    public static final Duration INTERVAL = Duration.ofSeconds(30);

    private final Path dir;
    private final AuditLog log;
    private final Identity identity;
    private final Clock clock;
    private final Consumer<String> out;
    private final ScheduledExecutorService timer;
    private AuditHead lastSigned; // guarded by this

    private AuditAnchor(Path dir, AuditLog log, Identity identity, Clock clock, Consumer<String> out, long signed) {
        this.dir = dir;
        this.log = log;
        this.identity = identity;
        this.clock = clock;
        this.out = out;
        this.lastSigned = signed < 0 ? null : new AuditHead(signed, new byte[AuditHead.HASH_BYTES]);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-checkpoint");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Checks the log in {@code dir} against its checkpoints, signs a checkpoint of its head and
     * starts the periodic ones.
     *
     * @throws IOException when the log contradicts a signed checkpoint (named in the message), or
     *                     the checkpoint cannot be written
     */
    public static AuditAnchor start(Path dir, AuditLog log, Identity identity, Clock clock, Consumer<String> out)
            throws IOException {
        return start(dir, log, identity, clock, out, INTERVAL);
    }

    /** As {@link #start(Path, AuditLog, Identity, Clock, Consumer)}, checkpointing every {@code interval}. */
    static AuditAnchor start(
            Path dir, AuditLog log, Identity identity, Clock clock, Consumer<String> out, Duration interval)
            throws IOException {
        AnchoredVerification v = AnchorCheck.verify(dir, identity.id(), List.of());
        if (!v.verdict().ok()) {
            throw new IOException("audit log in " + dir + " does not match its signed checkpoints: "
                    + v.verdict().problem() + " (run 'audit verify'; move the log aside to start a new one)");
        }
        long signed = -1;
        for (AuditCheckpoint c : CheckpointFile.read(dir).checkpoints()) {
            signed = Math.max(signed, c.count());
        }
        AuditAnchor anchor = new AuditAnchor(dir, log, identity, clock, out, signed);
        anchor.checkpoint();
        long period = interval.toMillis();
        anchor.timer.scheduleWithFixedDelay(anchor::tick, period, period, TimeUnit.MILLISECONDS);
        return anchor;
    }

    private void tick() {
        try {
            checkpoint();
        } catch (IOException | RuntimeException e) {
            out.accept("audit checkpoint not written: " + e.getMessage());
        }
    }

    /** Signs and stores a checkpoint of the durable head, unless the last one already covers it. */
    synchronized void checkpoint() throws IOException {
        AuditHead head = log.head();
        if (lastSigned != null && head.count() <= lastSigned.count()) {
            return;
        }
        CheckpointFile.append(dir, AuditCheckpoint.sign(identity, head, clock.millis()));
        lastSigned = head;
    }

    /** Stops the periodic checkpoints and signs the last one; call after the audit log is closed. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tick();
    }
}
