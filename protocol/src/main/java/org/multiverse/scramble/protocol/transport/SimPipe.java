package org.multiverse.scramble.protocol.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One direction of a simulated link: applies the faults to each encoded frame and queues
 * the resulting bytes, in delivery order, for the receiving endpoint.
 */
final class SimPipe {
    /** A reordered frame waits this long for a successor before it is delivered anyway. */
    static final long REORDER_HOLD_NANOS = 20_000_000L;

    /** Bytes due at a time; {@code cut} closes the link once they are delivered. */
    record Chunk(long dueNanos, byte[] bytes, boolean cut) {}

    private final Random random;
    private final Supplier<SimFaults> faults;
    private final Consumer<SimFault> injected;
    private final SimEndpoint receiver;
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private long lastDue;
    private long stallUntil;
    private byte[] held;

    SimPipe(Random random, Supplier<SimFaults> faults, Consumer<SimFault> injected, SimEndpoint receiver) {
        this.random = random;
        this.faults = faults;
        this.injected = injected;
        this.receiver = receiver;
    }

    /** Sends one encoded frame through the faults. */
    synchronized void transmit(byte[] encoded) {
        SimFaults f = faults.get();
        long now = System.nanoTime();
        if (hit(f.stallRate(), SimFault.STALL)) {
            stallUntil = Math.max(stallUntil, now + f.stallFor().toNanos());
        }
        if (hit(f.dropRate(), SimFault.DROP)) {
            return;
        }
        byte[] bytes = encoded;
        if (hit(f.corruptRate(), SimFault.CORRUPT)) {
            bytes = bytes.clone();
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
        }
        boolean cut = bytes.length > 1 && hit(f.cutRate(), SimFault.CUT);
        if (cut) {
            bytes = Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length - 1));
        }
        boolean duplicate = !cut && hit(f.duplicateRate(), SimFault.DUPLICATE);
        long maxDelay = f.maxDelay().toNanos();
        long delay = maxDelay > 0 ? random.nextLong(maxDelay + 1) : 0;
        if (delay > 0) {
            injected.accept(SimFault.DELAY);
        }
        long due = Math.max(Math.max(lastDue, now + delay), stallUntil);
        if (!cut && held == null && hit(f.reorderRate(), SimFault.REORDER)) {
            held = bytes;
            lastDue = due;
            receiver.scheduleDrain(this, REORDER_HOLD_NANOS + (due - now));
            return;
        }
        enqueue(due, bytes, cut);
        if (duplicate) {
            enqueue(due, bytes, false);
        }
        if (held != null) {
            enqueue(due, held, false); // after the frame that overtook it
            held = null;
        }
        receiver.scheduleDrain(this, due - now);
    }

    private boolean hit(double p, SimFault fault) {
        boolean hit = p > 0 && random.nextDouble() < p;
        if (hit) {
            injected.accept(fault);
        }
        return hit;
    }

    private void enqueue(long due, byte[] bytes, boolean cut) {
        queue.add(new Chunk(due, bytes, cut));
        lastDue = due;
    }

    /** Removes the chunks due by now, in order; a held frame whose wait ran out joins them. */
    synchronized List<Chunk> takeDue(long now) {
        if (held != null && now >= lastDue + REORDER_HOLD_NANOS) {
            enqueue(Math.max(lastDue, now), held, false);
            held = null;
        }
        List<Chunk> due = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().dueNanos() <= now) {
            due.add(queue.poll());
        }
        return due;
    }

    synchronized void clear() {
        queue.clear();
        held = null;
    }
}
