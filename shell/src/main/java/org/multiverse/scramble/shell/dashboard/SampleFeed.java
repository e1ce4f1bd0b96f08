package org.multiverse.scramble.shell.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.EventKind;

/**
 * Feeds the sparkline from the RTOS bridge's stream events: the samples arrive sealed by the node
 * to this session's X25519 key (the bridge relays them without being able to read them), and are
 * opened here and handed to the model as values.
 *
 * <p>Only a stream this dashboard asked for is opened: {@link #expect} is called when the person
 * confirms {@code t}, and the next {@code rtos.stream.start} of that node and channel is taken.
 * Another session's stream on the same agent (whose samples this key could not open anyway) is
 * ignored rather than counted as a flood of samples that do not open.
 *
 * <p>Runs on the UI thread only.
 */
final class SampleFeed implements AutoCloseable {

    static final EventKind START = EventKind.RTOS_STREAM_START;
    static final EventKind SAMPLES = EventKind.RTOS_STREAM_SAMPLES;
    /** Streams asked for and not yet started: a person confirms a handful, never more; older ones are forgotten. */
    static final int WANTED_MAX = 8;

    private record Wanted(String node, String channel) {}

    private final DashboardModel model;
    private final Supplier<X25519PrivateKeyParameters> sessionKey;
    private final List<Wanted> wanted = new ArrayList<>();
    private SealedStream stream;

    /** @param sessionKey the session's X25519 private key, asked for when a stream starts */
    SampleFeed(DashboardModel model, Supplier<X25519PrivateKeyParameters> sessionKey) {
        this.model = model;
        this.sessionKey = sessionKey;
    }

    /** A stream of {@code node}/{@code channel} was asked for: its start event will be taken. */
    void expect(String node, String channel) {
        if (wanted.size() == WANTED_MAX) {
            wanted.remove(0);
        }
        wanted.add(new Wanted(node, channel));
    }

    /** The stream asked for was refused or failed: no start is coming for it. */
    void notComing(String node, String channel) {
        wanted.remove(new Wanted(node, channel));
    }

    /** Whether {@code e} is a stream event (this feed's to apply, whether or not it is ours). */
    static boolean handles(EventBody e) {
        return e.getKind() == START || e.getKind() == SAMPLES;
    }

    /** Applies a stream event: a start of a stream asked for opens it; its samples are opened and drawn. */
    void apply(EventBody e) {
        if (e.getKind() == START) {
            start(e);
        } else if (e.getKind() == SAMPLES && stream != null && stream.owns(e) && !stream.ended()) {
            samples(e);
        }
    }

    private void start(EventBody e) {
        String node = e.getSubject();
        String channel = e.getAttributesOrDefault("channel", "");
        if (!e.getAttributesOrDefault("node", "").equals(node) || !wanted.remove(new Wanted(node, channel))) {
            return;
        }
        close();
        try {
            stream = SealedStream.start(e, sessionKey.get());
            model.applyStreamProgress(StreamProgress.of(stream, ""));
        } catch (IllegalArgumentException | IllegalStateException bad) {
            // IllegalStateException: the session's keys were destroyed (the shell is closing).
            model.applyStreamProgress(StreamProgress.failed(node, channel, bad.getMessage()));
        }
    }

    private void samples(EventBody e) {
        SealedStream s = stream;
        String problem = "";
        try {
            for (double v : s.open(e).values()) {
                model.applySample(s.node(), s.channel(), v);
            }
        } catch (IllegalArgumentException malformed) {
            problem = malformed.getMessage();
        }
        model.applyStreamProgress(StreamProgress.of(s, problem));
        if (s.ended()) {
            // Nothing more to open: the key goes now, not with the next stream.
            s.close();
        }
    }

    /** Zeroes the open stream's key. */
    @Override
    public void close() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }
}
