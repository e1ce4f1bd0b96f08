package org.multiverse.scramble.protocol.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameType;

/** A test listener that queues what arrives and records the close. */
public final class Inbox implements FrameListener {
    /** Generous for a loaded 2-core machine; a passing test never waits this long. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Throwable closeCause;
    private volatile String deliveringThread;

    @Override
    public void onFrame(FrameChannel channel, Frame frame) {
        deliveringThread = Thread.currentThread().getName();
        frames.add(frame);
    }

    @Override
    public void onClosed(FrameChannel channel, Throwable cause) {
        closeCause = cause;
        closed.countDown();
    }

    /** The next frame, failing the test if none comes in time. */
    public Frame take() throws InterruptedException {
        Frame f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(f, "no frame arrived within " + WAIT);
        return f;
    }

    /** The next frame within {@code d}, or null. */
    public Frame poll(Duration d) throws InterruptedException {
        return frames.poll(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int queued() {
        return frames.size();
    }

    public boolean awaitClosed(Duration d) throws InterruptedException {
        return closed.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Throwable closeCause() {
        return closeCause;
    }

    public String deliveringThread() {
        return deliveringThread;
    }

    public static Frame frame(FrameType type, String text) {
        return new Frame(type, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a mix of frames (empty, small, largest allowed) each way and checks they arrive
     * intact and in order, and that both ends counted them.
     */
    public static void assertRoundTrips(FrameChannel a, Inbox aInbox, FrameChannel b, Inbox bInbox)
            throws IOException, InterruptedException {
        List<Frame> sent = new ArrayList<>();
        sent.add(new Frame(FrameType.ENVELOPE, new byte[0]));
        for (int i = 0; i < 20; i++) {
            sent.add(frame(FrameType.values()[i % FrameType.values().length], "frame " + i));
        }
        byte[] big = new byte[FrameEncoder.DEFAULT_MAX_PAYLOAD];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        sent.add(new Frame(FrameType.REPLY, big));
        long aOut = a.counters().framesOut();
        long bIn = b.counters().framesIn();
        for (Frame f : sent) {
            a.send(f);
        }
        for (Frame f : sent) {
            Frame got = bInbox.take();
            assertEquals(f.type(), got.type());
            assertArrayEquals(f.payload(), got.payload());
        }
        for (Frame f : sent) {
            b.send(f);
        }
        for (Frame f : sent) {
            Frame got = aInbox.take();
            assertEquals(f.type(), got.type());
            assertArrayEquals(f.payload(), got.payload());
        }
        assertEquals(aOut + sent.size(), a.counters().framesOut());
        assertEquals(bIn + sent.size(), b.counters().framesIn());
        assertTrue(a.counters().bytesOut() >= big.length, "bytes counted");
        assertEquals(0, b.counters().badFrames());
        assertEquals(0, b.counters().skippedBytes());
    }
}
