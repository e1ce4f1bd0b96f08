package org.multiverse.scramble.protocol.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * Reads one output stream of a child into memory on its own thread, so that neither stream can
 * fill its pipe and stall the child while the other is read. Past {@code limit} bytes it stops,
 * marks the capture as overflowed and kills the child, which ends the run at once instead of at
 * its deadline.
 */
final class OutputCapture {

    /** A pipe holds 64 KiB on Linux; reading in pieces of this size keeps up with it. */
    private static final int CHUNK_BYTES = 8192;

    private final String name;
    private final int limit;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Thread reader;
    private volatile boolean overflowed;
    private volatile IOException failure;

    private OutputCapture(String name, int limit, InputStream in, Runnable kill) {
        this.name = name;
        this.limit = limit;
        this.reader = new Thread(() -> drain(in, kill), "process-" + name);
        // A grandchild that keeps the pipe open must not keep the JVM alive.
        this.reader.setDaemon(true);
    }

    /**
     * Starts reading {@code in}.
     *
     * @param name  the stream's name for messages ({@code "standard output"})
     * @param limit how many bytes may be captured; one more is an overflow
     * @param kill  what ends the child when it overflows
     */
    static OutputCapture start(String name, int limit, InputStream in, Runnable kill) {
        OutputCapture capture = new OutputCapture(name, limit, in, kill);
        capture.reader.start();
        return capture;
    }

    /** Whether the child wrote more than the limit (its run was then killed). */
    boolean overflowed() {
        return overflowed;
    }

    String name() {
        return name;
    }

    /**
     * Waits until the stream ends, at the latest at {@code deadlineNanos} ({@link System#nanoTime}).
     *
     * @return the bytes captured, or {@code null} if the stream is still open at the deadline (a
     *         child of the program may still hold it)
     * @throws IOException if the stream could not be read
     */
    byte[] await(long deadlineNanos) throws IOException, InterruptedException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining > 0) {
            TimeUnit.NANOSECONDS.timedJoin(reader, remaining);
        }
        if (reader.isAlive()) {
            return null;
        }
        if (failure != null) {
            throw failure;
        }
        synchronized (buffer) {
            return buffer.toByteArray();
        }
    }

    private void drain(InputStream in, Runnable kill) {
        try (in) {
            byte[] chunk = new byte[CHUNK_BYTES];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                synchronized (buffer) {
                    if (buffer.size() + n > limit) {
                        overflowed = true;
                        kill.run();
                        return;
                    }
                    buffer.write(chunk, 0, n);
                }
            }
        } catch (IOException e) {
            failure = e;
        }
    }
}
