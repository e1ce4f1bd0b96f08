package org.multiverse.scramble.protocol.transport;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;

/**
 * The guest side of virtio-serial: a character device, not a socket. It has no connection
 * semantics, and a real guest's port differs from the pseudo-terminals that stand in for it in
 * tests: it can be open once (a second open is EBUSY); while no host process is connected,
 * reads return end-of-file at once and writes block; closing it discards what the host had
 * queued. This channel therefore stays open across host restarts on one read-write descriptor:
 * it polls through end-of-file without closing, reopens the device only after errors (with
 * backoff), bounds every write with a watchdog, and retries a failed write a few times before
 * reporting it. A frame torn by a reopen is discarded by the decoder, which resynchronises on
 * the next good frame.
 */
final class VirtioFrameChannel implements FrameChannel {
    /** A healthy port drains a 64 KiB frame in milliseconds; a write stuck this long is not going anywhere. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);
    /** Attempts per frame; with reopen pauses, a send gives up after a few seconds, not never. */
    static final int MAX_WRITE_ATTEMPTS = 3;
    /** The host side may be down for long (VM restart); reopen quickly at first, then rarely. */
    static final Duration REOPEN_INITIAL = Duration.ofMillis(50);

    static final Duration REOPEN_CAP = Duration.ofSeconds(1);
    /**
     * While the host side is away a port's read returns end-of-file at once; reading again this
     * often costs nothing and notices a returning agent within a quarter second.
     */
    static final Duration HOST_ABSENT_POLL = Duration.ofMillis(250);
    /** File type bits of st_mode, and the character-device type (stat(2)). */
    private static final int S_IFMT = 0170000;

    private static final int S_IFCHR = 0020000;
    /** Read buffer; frames larger than this arrive over several reads. */
    private static final int READ_BUFFER = 16 * 1024;

    private final Path path;
    private final String peer;
    private final LinkCounters counters = new LinkCounters();
    private final CountingDecoder decoder = new CountingDecoder(counters);
    private final CountDownLatch listenerSet = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object writeLock = new Object();
    private final Object reopenLock = new Object();
    private final ScheduledExecutorService watchdog;
    private final Thread reader;
    private volatile Device device;
    private volatile boolean decoderNeedsReset;
    private volatile FrameListener listener;

    /**
     * One read-write descriptor, seen through two channels. A guest's virtio-serial port can be
     * open only once (a second open(2) fails with EBUSY), so the device is opened exactly once,
     * O_RDWR. Reading and writing go through separate {@link FileChannel}s over that descriptor:
     * one FileChannel serialises reads and writes on its position lock, so a read blocked waiting
     * for the host would otherwise block every write. Closing either channel closes the shared
     * descriptor and wakes a thread blocked in read or write on the other (FileChannel closes
     * are asynchronous-close safe), so the port is released before a reopen.
     */
    private record Device(FileChannel in, FileChannel out) {
        void close() {
            closeQuietly(out);
            closeQuietly(in);
        }
    }

    private VirtioFrameChannel(Path path, Device device) {
        this.path = path;
        this.peer = "virtio:" + path;
        this.device = device;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "virtio-write-watchdog " + path));
        this.reader = daemon(this::readLoop, "virtio-reader " + path);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Opens the device read-write; fails if it cannot be opened now. */
    static VirtioFrameChannel open(Path path) throws IOException {
        VirtioFrameChannel ch = new VirtioFrameChannel(path, openDevice(path));
        ch.reader.start();
        return ch;
    }

    private static Device openDevice(Path path) throws IOException {
        requireCharacterDevice(path);
        // RandomAccessFile is the JDK's only O_RDWR open that hands out its descriptor; its O_CREAT
        // cannot create anything here, as the path was just seen to be an existing device.
        RandomAccessFile file;
        try {
            file = new RandomAccessFile(path.toFile(), "rw");
        } catch (java.io.FileNotFoundException e) {
            // The JDK reports open(2)'s errno only as strerror text; EBUSY has one clear meaning here.
            if (String.valueOf(e.getMessage()).contains("Device or resource busy")) {
                throw new IOException(
                        path + " is in use by another program: a virtio-serial port can be open in"
                                + " only one process at a time (is another scramble-shell running?)",
                        e);
            }
            throw e;
        }
        try {
            FileDescriptor fd = file.getFD();
            return new Device(new FileInputStream(fd).getChannel(), new FileOutputStream(fd).getChannel());
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Refuses anything but a character device (after following symlinks, as udev's
     * {@code /dev/virtio-ports/NAME} links are): a typo must not create or truncate a file.
     */
    static void requireCharacterDevice(Path path) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode");
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(
                    path.toString(), null, "no such device (is the virtio-serial port configured?)");
        } catch (UnsupportedOperationException e) {
            throw new IOException(path + ": cannot tell whether it is a device on this platform", e);
        }
        if ((mode & S_IFMT) != S_IFCHR) {
            throw new IOException(path + " is not a character device (virtio-serial ports are /dev/vportNpM)");
        }
    }

    @Override
    public void send(Frame frame) throws IOException {
        byte[] encoded = FrameEncoder.encode(Objects.requireNonNull(frame, "frame"));
        synchronized (writeLock) {
            IOException last = null;
            for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
                if (closed.get()) {
                    throw new IOException("link to " + peer + " is closed");
                }
                Device d = device;
                try {
                    writeFully(d.out(), encoded);
                    counters.addOut(encoded.length);
                    return;
                } catch (IOException e) {
                    last = e;
                    if (closed.get()) {
                        break;
                    }
                    pause(REOPEN_INITIAL.multipliedBy(attempt));
                    reopen(d);
                }
            }
            throw new IOException(
                    "write to " + peer + " failed after " + MAX_WRITE_ATTEMPTS + " attempts (host side closed?): "
                            + (last == null ? "closed" : last.getMessage()),
                    last);
        }
    }

    /** Writes all bytes; a watchdog closes the device if the write blocks past the timeout. */
    private void writeFully(FileChannel fc, byte[] bytes) throws IOException {
        ScheduledFuture<?> dog =
                watchdog.schedule(() -> closeQuietly(fc), WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                fc.write(buf);
            }
        } finally {
            dog.cancel(false);
        }
    }

    private void readLoop() {
        try {
            listenerSet.await();
        } catch (InterruptedException e) {
            return;
        }
        Backoff backoff = new Backoff(REOPEN_INITIAL, REOPEN_CAP, new SecureRandom());
        ByteBuffer buf = ByteBuffer.allocate(READ_BUFFER);
        while (!closed.get()) {
            Device d = device;
            int n;
            boolean failed = false;
            try {
                buf.clear();
                n = d.in().read(buf);
            } catch (IOException e) {
                n = -1;
                failed = true; // the device went away (a pty's EIO), or a write watchdog closed it under us
            }
            if (closed.get()) {
                break;
            }
            if (n < 0) {
                // End of file is how a guest's port says "no host process connected": the descriptor
                // stays good and reads data again once the host is back, so keep it. Closing it would
                // discard what the host already queued in the port (virtio_console drops a port's
                // unread data on release), e.g. the answer to a request sent just as the agent returned.
                pause(failed ? backoff.next() : min(backoff.next(), HOST_ABSENT_POLL));
                if (failed) {
                    reopen(d);
                }
                continue;
            }
            backoff.reset();
            if (decoderNeedsReset) {
                decoderNeedsReset = false;
                decoder.reset();
            }
            for (Frame f : decoder.feed(buf.array(), 0, n)) {
                try {
                    listener.onFrame(this, f);
                } catch (RuntimeException e) {
                    // A faulty listener must not kill the only reader of the device.
                }
            }
        }
    }

    /** Replaces {@code stale} by a freshly opened device unless someone already did. */
    private void reopen(Device stale) {
        synchronized (reopenLock) {
            if (closed.get() || device != stale) {
                return;
            }
            stale.close();
            try {
                device = openDevice(path);
                decoderNeedsReset = true; // the bytes of a torn frame are gone
            } catch (IOException e) {
                // Still away; the next read or write failure tries again.
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(FileChannel fc) {
        try {
            fc.close();
        } catch (IOException e) {
            // Closing a broken device may fail; nothing to do about it.
        }
    }

    @Override
    public void setListener(FrameListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        listenerSet.countDown();
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public LinkCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (reopenLock) {
            device.close();
        }
        watchdog.shutdownNow();
        if (Thread.currentThread() != reader) {
            reader.interrupt();
            try {
                reader.join(REOPEN_CAP.toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        FrameListener l = listener;
        if (l != null) {
            l.onClosed(this, null);
        }
    }

    @Override
    public String toString() {
        return "FrameChannel[" + peer + "]";
    }
}
