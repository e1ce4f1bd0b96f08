package org.multiverse.scramble.bench;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.multiverse.scramble.suite.cert.CertificateException;
import org.multiverse.scramble.suite.cert.CertificateVerifier;
import org.multiverse.scramble.suite.cert.RevocationList;
import org.multiverse.scramble.suite.cert.SessionCertificate;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.sign.SignatureContext;
import org.multiverse.scramble.suite.sign.Signatures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of the signature work on every command: the shell signing an envelope with its
 * session key, an agent verifying that signature, and an agent checking the whole chain
 * (decode the session certificate, verify it against the authorised root and revocations,
 * then verify the envelope signature with the certified session key: two Ed25519
 * verifications).
 *
 * <p>Not run by the build. After {@code ./mvnw -B -q -o -pl test -am package -DskipTests}:
 * {@code java -cp "test/target/test-0.1.0-SNAPSHOT.jar:test/target/lib/*"
 * org.openjdk.jmh.Main SignatureBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignatureBenchmark {
    /** About the size of a signed command envelope. */
    private static final int ENVELOPE_BYTES = 256;

    private Identity root;
    private SessionKeys session;
    private CertificateVerifier verifier;
    private byte[] encodedCertificate;
    private byte[] sessionPublic;
    private byte[] envelope;
    private byte[] signature;
    private Instant now;

    @Setup(Level.Trial)
    public void setUp() {
        SecureRandom random = new SecureRandom();
        root = Identity.generate(random);
        session = SessionKeys.create(
                root, org.multiverse.scramble.suite.cert.Scope.ALL, Duration.ofHours(12), Clock.systemUTC(), random);
        verifier = CertificateVerifier.trusting(Set.of(root.id()), new RevocationList());
        encodedCertificate = session.certificate().encode();
        sessionPublic = session.certificate().sessionSigningKey();
        envelope = new byte[ENVELOPE_BYTES];
        random.nextBytes(envelope);
        signature = session.sign(SignatureContext.ENVELOPE, envelope);
        now = Instant.now();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.destroy();
        root.destroy();
    }

    @Benchmark
    public byte[] sign() {
        return session.sign(SignatureContext.ENVELOPE, envelope);
    }

    @Benchmark
    public boolean verify() {
        return Signatures.verify(sessionPublic, SignatureContext.ENVELOPE, envelope, signature);
    }

    @Benchmark
    public boolean verifyCertificateChain() throws CertificateException {
        SessionCertificate certificate = SessionCertificate.decode(encodedCertificate);
        verifier.verify(certificate, now);
        return certificate.verifySessionSignature(SignatureContext.ENVELOPE, envelope, signature);
    }
}
