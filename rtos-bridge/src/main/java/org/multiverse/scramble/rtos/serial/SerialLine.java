package org.multiverse.scramble.rtos.serial;

import java.io.Closeable;
import java.io.IOException;

/**
 * One open serial line (a UART, USB-CDC device or pseudo-terminal) as a byte stream.
 * Reads return after a short idle timeout so a reader thread can notice {@link #close()}.
 */
public interface SerialLine extends Closeable {

    /**
     * Reads what is available, waiting at most about {@link TtyLine#READ_TIMEOUT_MILLIS}.
     *
     * @return bytes read, 0 if none arrived in time
     * @throws IOException if the device went away (unplugged, pty closed) or the line is closed
     */
    int read(byte[] buffer) throws IOException;

    /** Writes all bytes; thread-safe, one caller's bytes never interleave with another's. */
    void write(byte[] bytes) throws IOException;

    /** True once the device's path no longer exists (unplugged, or the pty pair is gone). */
    boolean gone();
}
