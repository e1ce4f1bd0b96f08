package org.multiverse.scramble.suite.replay;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Refuses replayed commands: one {@link SlidingWindow} per (sender, receiver) pair (for
 * commands: session key, agent key), plus a persisted high-water mark so that a restart opens
 * no replay window.
 *
 * <p><b>Reserve ahead.</b> Before a number above the persisted mark is accepted, the mark is
 * durably raised to that number plus {@value #RESERVE_AHEAD}; later numbers below the new mark
 * cost no disk write. After a restart (or after a pair was evicted from memory) every number up
 * to the persisted mark is refused, so no number accepted before can ever be accepted again.
 * The price: up to {@value #RESERVE_AHEAD} never-used numbers are refused after a restart, so
 * a sender whose command is refused continues above {@link #highest}.
 *
 * <p><b>Bounded memory.</b> At most {@value #MAX_TRACKED_PAIRS} pairs stay in memory; the
 * least recently used one is dropped, its mark already on disk (marks are written before the
 * number is accepted), and reloaded from there if the pair comes back.
 *
 * <p>Thread-safe (one lock; the fsync of a mark write happens under it, at most once per
 * {@value #RESERVE_AHEAD} commands of a pair).
 */
public final class ReplayGuard {
    /**
     * How many numbers each durable mark write reserves. A rate-limited shell sends at most a
     * few commands per second, so this costs one fsync every few minutes per pair instead of one
     * per command, while a restart wastes at most this many numbers of each live session.
     */
    public static final long RESERVE_AHEAD = 1024;

    /**
     * Pairs held in memory (about 300 bytes each: a 128-byte window and two names). Only
     * signature-verified senders reach the guard, and sessions are few per person, so this
     * bounds memory against a long-running agent seeing many short sessions, not a flood.
     */
    public static final int MAX_TRACKED_PAIRS = 4096;

    /** The outcome of {@link #accept}. */
    public enum Decision {
        /** New number: the command may proceed. */
        ACCEPTED,
        /** Seen before (or at or below the mark persisted before a restart, inside the window). */
        REPLAYED,
        /** Too far below the highest number (or 0) to tell: refused. */
        TOO_OLD
    }

    private static final class Tracked {
        final SlidingWindow window;
        long persisted;

        Tracked(long persisted) {
            this.window = new SlidingWindow(persisted);
            this.persisted = persisted;
        }
    }

    private final HighWaterMarkStore store;
    private final Map<String, Tracked> tracked;

    ReplayGuard(HighWaterMarkStore store, int maxTrackedPairs) {
        this.store = Objects.requireNonNull(store, "store");
        if (maxTrackedPairs < 1) {
            throw new IllegalArgumentException("maxTrackedPairs must be positive");
        }
        this.tracked = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Tracked> eldest) {
                return size() > maxTrackedPairs;
            }
        };
    }

    /**
     * Opens the guard over a state directory (created 0700 if missing).
     *
     * @throws ReplayStateException if any persisted mark is corrupt: the agent must not start
     */
    public static ReplayGuard open(Path stateDirectory) throws ReplayStateException {
        return new ReplayGuard(HighWaterMarkStore.open(stateDirectory), MAX_TRACKED_PAIRS);
    }

    /**
     * Checks and records one sequence number.
     *
     * @param sender the sender's name, 1..128 of {@code [A-Za-z0-9._:-]} (e.g. key hex)
     * @param receiver the receiver's name, same alphabet
     * @param sequence the unsigned sequence number, from 1
     * @return the decision; only {@link Decision#ACCEPTED} lets the command through
     * @throws ReplayStateException if the mark could not be read or persisted: refuse the command
     */
    public synchronized Decision accept(String sender, String receiver, long sequence) throws ReplayStateException {
        Tracked pair = trackedPair(sender, receiver);
        if (!pair.window.check(sequence)) {
            return pair.window.isBelowWindow(sequence) ? Decision.TOO_OLD : Decision.REPLAYED;
        }
        if (Long.compareUnsigned(sequence, pair.persisted) > 0) {
            long mark = sequence + RESERVE_AHEAD;
            if (Long.compareUnsigned(mark, sequence) < 0) {
                mark = -1L; // saturate at 2^64 - 1
            }
            store.write(sender, receiver, mark); // before accepting: a crash must not forget it
            pair.persisted = mark;
        }
        pair.window.accept(sequence);
        return Decision.ACCEPTED;
    }

    /** {@link #accept(String, String, long)} with the keys named by their lowercase hex. */
    public Decision accept(byte[] senderKey, byte[] receiverKey, long sequence) throws ReplayStateException {
        return accept(HexFormat.of().formatHex(senderKey), HexFormat.of().formatHex(receiverKey), sequence);
    }

    /**
     * The highest number accepted for the pair, or after a restart its persisted mark; a sender
     * told its command was refused continues above it. 0 for an unknown pair.
     */
    public synchronized long highest(String sender, String receiver) throws ReplayStateException {
        return trackedPair(sender, receiver).window.highest();
    }

    /** Pairs currently held in memory (for tests and the status command). */
    synchronized int trackedPairs() {
        return tracked.size();
    }

    private Tracked trackedPair(String sender, String receiver) throws ReplayStateException {
        HighWaterMarkStore.requireName(sender, "sender");
        HighWaterMarkStore.requireName(receiver, "receiver");
        String key = sender + "\n" + receiver;
        Tracked pair = tracked.get(key);
        if (pair == null) {
            pair = new Tracked(store.read(sender, receiver));
            tracked.put(key, pair);
        }
        return pair;
    }
}
