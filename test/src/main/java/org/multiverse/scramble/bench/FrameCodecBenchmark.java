package org.multiverse.scramble.bench;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.multiverse.scramble.protocol.envelope.EnvelopeCodec;
import org.multiverse.scramble.protocol.envelope.SigningBytes;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameDecoder;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.PortalStart;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of the framing layer on every command: encoding a typical envelope frame (about
 * 400 bytes: a 186-byte session certificate, a Scramble ID, a small command, a signature),
 * decoding it with {@link FrameDecoder}, and the envelope codec's checked parse plus the
 * signing bytes an agent builds before verifying.
 *
 * <p>Not run by the build. After {@code ./mvnw -B -q -o -pl test -am package -DskipTests}:
 * {@code java -cp "test/target/test-0.1.0-SNAPSHOT.jar:test/target/lib/*"
 * org.openjdk.jmh.Main FrameCodecBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameCodecBenchmark {

    private Frame frame;
    private byte[] encoded;
    private byte[] envelopeBytes;
    private FrameDecoder decoder;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        byte[] certificate = new byte[186];
        byte[] requestId = new byte[16];
        byte[] signature = new byte[64];
        random.nextBytes(certificate);
        random.nextBytes(requestId);
        random.nextBytes(signature);
        Envelope envelope = Envelope.newBuilder()
                .setProtocolVersion(1)
                .setSessionCertificate(ByteString.copyFrom(certificate))
                .setTargetAgent("scr1" + "a".repeat(56))
                .setSequence(1234)
                .setTimestampMillis(1_750_000_000_000L)
                .setRequestId(ByteString.copyFrom(requestId))
                .setCommand(Command.newBuilder()
                        .setPortalStart(PortalStart.newBuilder().setName("work-browser"))
                        .build()
                        .toByteString())
                .setSignature(ByteString.copyFrom(signature))
                .build();
        envelopeBytes = envelope.toByteArray();
        frame = new Frame(FrameType.ENVELOPE, envelopeBytes);
        encoded = FrameEncoder.encode(frame);
        decoder = new FrameDecoder();
    }

    /** Frame encoding alone (two CRC-32C passes and a copy). */
    @Benchmark
    public byte[] encode() {
        return FrameEncoder.encode(frame);
    }

    /** Frame encode then decode through one long-lived decoder, as a channel does. */
    @Benchmark
    public List<Frame> encodeAndDecode() {
        byte[] bytes = FrameEncoder.encode(frame);
        return decoder.feed(bytes, 0, bytes.length);
    }

    /** Decode of an already encoded frame. */
    @Benchmark
    public List<Frame> decode() {
        return decoder.feed(encoded, 0, encoded.length);
    }

    /** What an agent does with the payload before crypto: checked parse and signing bytes. */
    @Benchmark
    public byte[] parseEnvelopeAndSigningBytes() {
        return SigningBytes.of(EnvelopeCodec.parseEnvelope(envelopeBytes));
    }
}
