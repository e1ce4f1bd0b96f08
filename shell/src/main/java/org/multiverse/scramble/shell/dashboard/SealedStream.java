package org.multiverse.scramble.shell.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.suite.seal.SealException;
import org.multiverse.scramble.suite.seal.StreamOpener;

/**
 * One telemetry stream sealed by an RTOS node to this session, opened with the session's X25519
 * key: set up from the {@code rtos.stream.start} event, then fed each {@code rtos.stream.samples}
 * event. Counts what it shows, what never arrived (sequence gaps) and what did not open.
 *
 * <p>Loss is counted from the sequence numbers of samples that opened only: a sample that does
 * not open proves nothing about its clear header, so its claimed number is not trusted. Each one
 * that failed since the last opened sample explains one number of the next gap. A sample below
 * the highest opened one that still opens (late, not a replay: the opener refuses those) was
 * counted lost and is taken back off; it is not drawn, the sparkline being in time order.
 *
 * <p>Not thread-safe: only the dashboard's UI thread uses it. {@link #close()} zeroes the key.
 */
final class SealedStream implements AutoCloseable {

    /** What one samples event gave: the values to draw, in order. */
    record Batch(List<Double> values) {}

    private final String node;
    private final String channel;
    private final int streamId;
    private final StreamOpener opener;
    private long expected;
    private long shown;
    private long lost;
    private long unopened;
    private long failedSinceOpened;
    private boolean ended;

    private SealedStream(String node, String channel, int streamId, StreamOpener opener) {
        this.node = node;
        this.channel = channel;
        this.streamId = streamId;
        this.opener = opener;
    }

    /**
     * Sets up the opening side from a start event.
     *
     * @param start      an {@code rtos.stream.start} event: attributes {@code node, channel, stream_id,
     *                   node_public_key, hpke_stream_id, encapsulated_key}
     * @param sessionKey the session's X25519 private key (the node sealed to its public half)
     * @throws IllegalArgumentException naming the attribute that is missing or malformed
     */
    static SealedStream start(EventBody start, X25519PrivateKeyParameters sessionKey) {
        String node = required(start, "node");
        String channel = required(start, "channel");
        int streamId;
        try {
            streamId = Integer.parseUnsignedInt(required(start, "stream_id"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stream start: stream_id is not a 32-bit number");
        }
        byte[] nodeKey = base64(start, "node_public_key");
        byte[] enc = base64(start, "encapsulated_key");
        byte[] hpkeId = required(start, "hpke_stream_id").getBytes(StandardCharsets.US_ASCII);
        // The HPKE stream id names this stream ("rtos/<node id>/<stream id>"): one naming another is not this one.
        if (!new String(hpkeId, StandardCharsets.US_ASCII).endsWith("/" + Integer.toUnsignedString(streamId))) {
            throw new IllegalArgumentException("stream start: hpke_stream_id does not end in the stream id");
        }
        try {
            return new SealedStream(node, channel, streamId, StreamOpener.create(sessionKey, nodeKey, hpkeId, enc));
        } catch (SealException e) {
            throw new IllegalArgumentException("stream start: the node key or encapsulated key is not usable");
        }
    }

    String node() {
        return node;
    }

    String channel() {
        return channel;
    }

    int streamId() {
        return streamId;
    }

    /** Whether {@code e} is a samples event of this stream (its node and stream id). */
    boolean owns(EventBody e) {
        return e.getSubject().equals(node)
                && e.getAttributesOrDefault("stream_id", "").equals(Integer.toUnsignedString(streamId));
    }

    /**
     * Opens the samples of one event; the ones that do not open are dropped and counted.
     *
     * @throws IllegalArgumentException if the event's records are malformed (nothing of it is counted)
     */
    Batch open(EventBody samples) {
        List<SampleRecord> records = SampleRecord.decode(
                samples.getAttributesOrDefault("samples", ""), samples.getAttributesOrDefault("count", ""));
        List<Double> values = new ArrayList<>(records.size());
        for (SampleRecord r : records) {
            long seq = Integer.toUnsignedLong(r.sequence());
            double value;
            try {
                value = SampleRecord.value(opener.open(seq, r.aad(streamId), r.sealed()));
            } catch (SealException | IllegalArgumentException e) {
                unopened++;
                failedSinceOpened++;
                continue;
            }
            if (seq < expected) {
                lost = Math.max(0, lost - 1);
            } else {
                lost += Math.max(0, seq - expected - failedSinceOpened);
                failedSinceOpened = 0;
                expected = seq + 1;
                shown++;
                values.add(value);
                ended |= r.last();
            }
        }
        return new Batch(values);
    }

    /** Samples opened and drawn. */
    long shown() {
        return shown;
    }

    /** Sequence numbers that never arrived (gaps, less the samples that arrived but did not open). */
    long lost() {
        return lost;
    }

    /** Samples that arrived but did not open (altered, replayed, not sealed to this session). */
    long unopened() {
        return unopened;
    }

    /** Whether the node's final sample has been opened. */
    boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        opener.close();
    }

    private static String required(EventBody e, String name) {
        String v = e.getAttributesOrDefault(name, "");
        if (v.isEmpty()) {
            throw new IllegalArgumentException("stream start: no " + name);
        }
        return v;
    }

    private static byte[] base64(EventBody e, String name) {
        String text = required(e, name);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("stream start: " + name + " is not base64");
        }
    }
}
