package org.multiverse.scramble.rtos.serial;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A tty device (a real {@code /dev/ttyACM0} or one end of a pseudo-terminal pair) put in
 * raw mode with {@code stty} and read and written as a file.
 *
 * <p>Why {@code stty} and not jSerialComm: the same code path serves real ports and ptys
 * (jSerialComm enumerates only real ports and needs a native library extracted at run
 * time), it adds no dependency, and the termios settings are a short, visible argument
 * list: {@code raw -echo -echoe -echok -ixon -ixoff -crtscts clocal cread cs8 -cstopb
 * -parenb min 0 time 1 SPEED}. "min 0 time 1" makes a read return as soon as one byte is
 * there, or after 100 ms of silence, so reader threads can stop without signals.
 */
public final class TtyLine implements SerialLine {

    /** The VTIME of the termios settings ("time 1" = 100 ms): the longest a read waits. */
    public static final int READ_TIMEOUT_MILLIS = 100;

    /** stty finishes in milliseconds; a hung one means a wedged device. */
    private static final long STTY_TIMEOUT_SECONDS = 5;

    /** Baud rates a USB-CDC or UART node may use; anything else is a typo. */
    public static final Set<Integer> BAUD_RATES =
            Set.of(9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000, 2000000);

    private final Path path;
    private final FileInputStream in;
    private final FileOutputStream out;
    private volatile boolean closed;

    private TtyLine(Path path, FileInputStream in, FileOutputStream out) {
        this.path = path;
        this.in = in;
        this.out = out;
    }

    /**
     * Configures and opens a tty.
     *
     * @param path the device (symbolic links, as socat's {@code link=}, are followed)
     * @param baud one of {@link #BAUD_RATES}
     * @throws IOException if the device does not exist or stty refuses it
     */
    public static TtyLine open(Path path, int baud) throws IOException {
        if (!BAUD_RATES.contains(baud)) {
            throw new IllegalArgumentException("unsupported baud rate " + baud);
        }
        if (!Files.exists(path)) {
            throw new IOException("no such device: " + path);
        }
        stty(path, baud);
        FileInputStream in = new FileInputStream(path.toFile());
        FileOutputStream out;
        try {
            out = new FileOutputStream(path.toFile());
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new TtyLine(path, in, out);
    }

    private static void stty(Path path, int baud) throws IOException {
        List<String> command = List.of(
                "stty",
                "-F",
                path.toString(),
                "raw",
                "-echo",
                "-echoe",
                "-echok",
                "-ixon",
                "-ixoff",
                "-crtscts",
                "clocal",
                "cread",
                "cs8",
                "-cstopb",
                "-parenb",
                "min",
                "0",
                "time",
                "1",
                Integer.toString(baud));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(STTY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("stty on " + path + " hung");
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("stty on " + path + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while configuring " + path, e);
        }
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        if (closed) {
            throw new IOException("line closed: " + path);
        }
        int n = in.read(buffer);
        // FileInputStream maps a 0-byte read (the VTIME timeout) to -1: not an end of stream.
        return Math.max(n, 0);
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        synchronized (out) {
            if (closed) {
                throw new IOException("line closed: " + path);
            }
            out.write(bytes);
        }
    }

    @Override
    public boolean gone() {
        return !Files.exists(path);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        try {
            in.close();
        } finally {
            synchronized (out) {
                out.close();
            }
        }
    }

    @Override
    public String toString() {
        return "tty " + path;
    }
}
