package org.multiverse.scramble.shell.dashboard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.suite.seal.StreamSealer;

/**
 * An RTOS node and its bridge in a test: seals samples to a session's X25519 key as the
 * simulated node does (Scramble Suite {@link StreamSealer}, WIRE.md section 7), and wraps them
 * in the events the bridge publishes. The associated data and plaintext are laid out here from
 * the specification, independently of the dashboard's own decoding.
 */
final class SealingNode {

    /** One sample as sealed: its clear header and its 20 sealed bytes (mutable, so a test can alter them). */
    static final class Sealed {
        final int sequence;
        final long nodeTime;
        final boolean last;
        final byte[] sealed;

        Sealed(int sequence, long nodeTime, boolean last, byte[] sealed) {
            this.sequence = sequence;
            this.nodeTime = nodeTime;
            this.last = last;
            this.sealed = sealed;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    final String node;
    final String channel;
    final int streamId;
    final X25519PrivateKeyParameters nodeKey = new X25519PrivateKeyParameters(RANDOM);
    private final byte[] hpkeId;
    private final StreamSealer sealer;

    /** A stream of {@code node}/{@code channel} sealed to the holder of {@code sessionPublic}. */
    SealingNode(String node, String channel, int streamId, byte[] sessionPublic) {
        this.node = node;
        this.channel = channel;
        this.streamId = streamId;
        this.hpkeId =
                ("rtos/" + node + "-id/" + Integer.toUnsignedString(streamId)).getBytes(StandardCharsets.US_ASCII);
        this.sealer = StreamSealer.create(nodeKey, sessionPublic, hpkeId);
    }

    static byte[] publicOf(X25519PrivateKeyParameters k) {
        return k.generatePublicKey().getEncoded();
    }

    /** The bridge's {@code rtos.stream.start} event. */
    EventBody start() {
        Base64.Encoder b64 = Base64.getEncoder();
        return EventBody.newBuilder()
                .setKind(org.multiverse.scramble.protocol.v1.EventKind.RTOS_STREAM_START)
                .setSubject(node)
                .setText("stream " + Integer.toUnsignedString(streamId) + " of " + node + "/" + channel)
                .putAttributes("node", node)
                .putAttributes("channel", channel)
                .putAttributes("stream_id", Integer.toUnsignedString(streamId))
                .putAttributes("node_public_key", b64.encodeToString(publicOf(nodeKey)))
                .putAttributes("hpke_stream_id", new String(hpkeId, StandardCharsets.US_ASCII))
                .putAttributes("encapsulated_key", b64.encodeToString(sealer.enc()))
                .putAttributes("start_node_micros", "1000")
                .putAttributes("period_micros", "100000")
                .build();
    }

    /** Seals sample {@code sequence} of value {@code value}, as the node does. */
    Sealed seal(int sequence, float value, boolean last) {
        long nodeTime = 1000 + 100_000L * sequence;
        byte[] aad = ByteBuffer.allocate(17)
                .putInt(streamId)
                .putInt(sequence)
                .putLong(nodeTime)
                .put((byte) (last ? 1 : 0))
                .array();
        byte[] plaintext = ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(value)
                .array();
        return new Sealed(sequence, nodeTime, last, sealer.seal(Integer.toUnsignedLong(sequence), aad, plaintext));
    }

    /** Samples {@code from}..{@code to - 1} with the given values ({@code values[i - from]}). */
    List<Sealed> seal(int from, float... values) {
        List<Sealed> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(seal(from + i, values[i], false));
        }
        return out;
    }

    /** The bridge's {@code rtos.stream.samples} event carrying {@code samples}. */
    EventBody batch(List<Sealed> samples) {
        ByteBuffer b = ByteBuffer.allocate(samples.size() * 33);
        for (Sealed s : samples) {
            b.putInt(s.sequence)
                    .putLong(s.nodeTime)
                    .put((byte) (s.last ? 1 : 0))
                    .put(s.sealed);
        }
        return EventBody.newBuilder()
                .setKind(org.multiverse.scramble.protocol.v1.EventKind.RTOS_STREAM_SAMPLES)
                .setSubject(node)
                .setText(samples.size() + " samples")
                .putAttributes("stream_id", Integer.toUnsignedString(streamId))
                .putAttributes("count", Integer.toString(samples.size()))
                .putAttributes("dropped_batches", "0")
                .putAttributes("samples", Base64.getEncoder().encodeToString(b.array()))
                .build();
    }
}
