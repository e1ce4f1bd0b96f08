package org.multiverse.scramble.protocol.transport;

import java.io.IOException;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;

/**
 * One end of a simulated link. Inbound bytes are decoded and delivered on this endpoint's
 * own thread, which exits when the link closes.
 */
final class SimEndpoint implements FrameChannel {
    private final SimLink link;
    private final String peer;
    private final LinkCounters counters = new LinkCounters();
    private final CountingDecoder decoder = new CountingDecoder(counters);
    private final ScheduledThreadPoolExecutor rx;
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private volatile SimPipe out;
    private volatile SimPipe in;
    private volatile FrameListener listener;
    private volatile IOException closeCause;

    SimEndpoint(SimLink link, String peer) {
        this.link = link;
        this.peer = peer;
        this.rx = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sim-rx " + peer);
            t.setDaemon(true);
            return t;
        });
        rx.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        rx.setRemoveOnCancelPolicy(true);
    }

    void connectTo(SimEndpoint other, Random random, Supplier<SimFaults> faults, Consumer<SimFault> injected) {
        SimPipe pipe = new SimPipe(random, faults, injected, other);
        this.out = pipe;
        other.in = pipe;
    }

    @Override
    public void send(Frame frame) throws IOException {
        byte[] encoded = FrameEncoder.encode(Objects.requireNonNull(frame, "frame"));
        if (link.isClosed()) {
            throw new IOException("link to " + peer + " is closed");
        }
        counters.addOut(encoded.length);
        out.transmit(encoded);
    }

    void scheduleDrain(SimPipe pipe, long delayNanos) {
        try {
            rx.schedule(this::drain, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Link closed: nothing more is delivered.
        }
    }

    /** Runs on the rx thread: delivers what is due, in order. */
    private void drain() {
        FrameListener l = listener;
        if (l == null || link.isClosed()) {
            return; // setListener drains again
        }
        for (SimPipe.Chunk chunk : in.takeDue(System.nanoTime())) {
            for (Frame f : decoder.feed(chunk.bytes(), 0, chunk.bytes().length)) {
                try {
                    l.onFrame(this, f);
                } catch (RuntimeException e) {
                    link.close(new IOException("listener of " + peer + " failed", e));
                    return;
                }
                if (link.isClosed()) {
                    return;
                }
            }
            if (chunk.cut()) {
                link.close(new IOException("connection cut mid-frame (simulated)"));
                return;
            }
        }
    }

    @Override
    public void setListener(FrameListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        try {
            rx.execute(this::drain);
        } catch (RejectedExecutionException e) {
            reportClosed(); // closed before anyone listened
        }
    }

    /** Called once by the link: report the close on the rx thread, then let it end. */
    void shutDown(IOException cause) {
        closeCause = cause;
        in.clear();
        try {
            rx.execute(this::reportClosed);
        } catch (RejectedExecutionException e) {
            reportClosed();
        }
        rx.shutdown();
    }

    private void reportClosed() {
        FrameListener l = listener;
        if (l != null && closeReported.compareAndSet(false, true)) {
            l.onClosed(this, closeCause);
        }
    }

    @Override
    public boolean isOpen() {
        return !link.isClosed();
    }

    @Override
    public String peer() {
        return peer;
    }

    /** Every link of one simulated listener is one peer, like a chardev: {@code sim:NAME}. */
    @Override
    public String peerKey() {
        int hash = peer.indexOf('#');
        return hash < 0 ? peer : peer.substring(0, hash);
    }

    @Override
    public LinkCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        link.close(null);
    }

    @Override
    public String toString() {
        return "FrameChannel[" + peer + "]";
    }
}
