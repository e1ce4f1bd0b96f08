package org.multiverse.scramble.protocol.transport;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent side of a QEMU chardev: QEMU owns the listening socket, so "listening" means
 * dialing it, handing each connection to the accept callback, and dialing again (with
 * backoff) whenever the connection drops or QEMU is not there yet, e.g. while it restarts.
 */
final class ChardevDialer implements Listener {
    /** QEMU restarts in about a second; start retrying quickly. */
    static final Duration BACKOFF_INITIAL = Duration.ofMillis(100);
    /** A stopped VM may stay down for long; retrying every few seconds is cheap. */
    static final Duration BACKOFF_CAP = Duration.ofSeconds(5);

    private final TransportUri uri;
    private final Consumer<FrameChannel> onAccept;
    private final Backoff backoff = new Backoff(BACKOFF_INITIAL, BACKOFF_CAP, new SecureRandom());
    private final ScheduledExecutorService dialer;
    private volatile boolean closed;

    private ChardevDialer(TransportUri uri, Consumer<FrameChannel> onAccept) {
        this.uri = uri;
        this.onAccept = onAccept;
        this.dialer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chardev-dialer " + uri.path());
            t.setDaemon(true);
            return t;
        });
    }

    static ChardevDialer start(TransportUri uri, Consumer<FrameChannel> onAccept) {
        ChardevDialer d = new ChardevDialer(uri, onAccept);
        d.dialer.execute(d::dial);
        return d;
    }

    private void dial() {
        if (closed) {
            return;
        }
        FrameChannel ch;
        try {
            ch = NettyTransport.connect(uri);
        } catch (IOException e) {
            schedule(backoff.next());
            return;
        }
        backoff.reset();
        onAccept.accept(new RedialingChannel(ch));
    }

    private void schedule(Duration delay) {
        if (!closed) {
            try {
                dialer.schedule(this::dial, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Closed concurrently.
            }
        }
    }

    @Override
    public TransportUri uri() {
        return uri;
    }

    @Override
    public void close() {
        closed = true;
        dialer.shutdownNow();
    }

    /** Wraps the listener of an accepted connection so its close triggers the next dial. */
    private final class RedialingChannel extends ForwardingFrameChannel {
        RedialingChannel(FrameChannel inner) {
            super(inner);
        }

        @Override
        protected void afterClosed() {
            schedule(BACKOFF_INITIAL);
        }
    }
}
