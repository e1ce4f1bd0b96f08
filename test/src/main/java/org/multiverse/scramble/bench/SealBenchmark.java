package org.multiverse.scramble.bench;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.suite.seal.ReplySealer;
import org.multiverse.scramble.suite.seal.SealException;
import org.multiverse.scramble.suite.seal.SealedReply;
import org.multiverse.scramble.suite.seal.StreamOpener;
import org.multiverse.scramble.suite.seal.StreamSealer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of sealing and opening one reply (a full HPKE auth-mode setup each: three X25519
 * operations to seal, three to open) and of one stream message (ChaCha20-Poly1305 only, after
 * the one setup per stream).
 *
 * <p>Not run by the build. After {@code ./mvnw -B -q -o -pl test -am package -DskipTests}:
 * {@code java -cp "test/target/test-0.1.0-SNAPSHOT.jar:test/target/lib/*"
 * org.openjdk.jmh.Main SealBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SealBenchmark {
    /** A typical reply or event body, and a large console-log sized one. */
    @Param({"256", "16384"})
    public int size;

    private X25519PrivateKeyParameters agent;
    private X25519PrivateKeyParameters session;
    private byte[] agentPublic;
    private byte[] sessionPublic;
    private final byte[] requestId = new byte[16];
    private final byte[] aad = new byte[0];
    private byte[] plaintext;
    private SealedReply sealed;
    private StreamSealer streamSealer;
    private StreamOpener streamOpener;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() throws SealException {
        SecureRandom random = new SecureRandom();
        agent = new X25519PrivateKeyParameters(random);
        session = new X25519PrivateKeyParameters(random);
        agentPublic = agent.generatePublicKey().getEncoded();
        sessionPublic = session.generatePublicKey().getEncoded();
        random.nextBytes(requestId);
        plaintext = new byte[size];
        random.nextBytes(plaintext);
        sealed = ReplySealer.seal(agent, sessionPublic, requestId, plaintext);
        streamSealer = StreamSealer.create(agent, sessionPublic, requestId);
        streamOpener = StreamOpener.create(session, agentPublic, requestId, streamSealer.enc());
        sequence = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        streamSealer.close();
        streamOpener.close();
    }

    @Benchmark
    public SealedReply sealReply() {
        return ReplySealer.seal(agent, sessionPublic, requestId, plaintext);
    }

    @Benchmark
    public byte[] openReply() throws SealException {
        return ReplySealer.open(session, agentPublic, requestId, sealed.enc(), sealed.ciphertext());
    }

    @Benchmark
    public byte[] sealStreamMessage() {
        return streamSealer.seal(sequence++, aad, plaintext);
    }

    /**
     * Seal then open one stream message. The opener's replay window lets each message open only
     * once, so opening alone cannot be repeated on one message; subtract
     * {@link #sealStreamMessage} for the cost of opening.
     */
    @Benchmark
    public byte[] sealThenOpenStreamMessage() throws SealException {
        long n = sequence++;
        return streamOpener.open(n, aad, streamSealer.seal(n, aad, plaintext));
    }
}
