package org.multiverse.scramble.suite.cert;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.sign.SignatureContext;
import org.multiverse.scramble.suite.sign.Signatures;

/**
 * The session key pairs made at unlock (Ed25519 to sign commands, X25519 to
 * receive sealed replies) and their root-signed {@link SessionCertificate}.
 * Held in memory only: a stolen session key expires, and replies sealed to a
 * forgotten session key stay sealed. Thread-safe.
 */
public final class SessionKeys implements AutoCloseable {

    /** Default session lifetime: one working day, so a stolen session key is useless by tomorrow. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofHours(12);
    /** Longest session a root will certify: a week; longer-lived keys defeat the point of sessions. */
    public static final Duration MAX_VALIDITY = Duration.ofDays(7);

    private final byte[] signingSeed;
    private final byte[] agreementSecret;
    private final SessionCertificate certificate;
    private Ed25519PrivateKeyParameters signingKey;
    private X25519PrivateKeyParameters agreementKey;
    private boolean destroyed;

    private SessionKeys(
            byte[] signingSeed,
            byte[] agreementSecret,
            SessionCertificate certificate,
            Ed25519PrivateKeyParameters signingKey,
            X25519PrivateKeyParameters agreementKey) {
        this.signingSeed = signingSeed;
        this.agreementSecret = agreementSecret;
        this.certificate = certificate;
        this.signingKey = signingKey;
        this.agreementKey = agreementKey;
    }

    /**
     * Makes fresh session keys and has {@code root} certify them from now
     * ({@code clock}) for {@code validity}.
     *
     * @throws IllegalArgumentException if validity is not positive or exceeds {@link #MAX_VALIDITY}
     */
    public static SessionKeys create(Identity root, Scope scope, Duration validity, Clock clock, SecureRandom rnd) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(rnd, "rnd");
        if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("a session may be certified for at most " + describe(MAX_VALIDITY)
                    + " (agents refuse longer ones), not " + describe(validity));
        }
        byte[] signingSeed = new byte[32];
        byte[] agreementSecret = new byte[32];
        rnd.nextBytes(signingSeed);
        rnd.nextBytes(agreementSecret);
        Ed25519PrivateKeyParameters signingKey = new Ed25519PrivateKeyParameters(signingSeed, 0);
        X25519PrivateKeyParameters agreementKey = new X25519PrivateKeyParameters(agreementSecret, 0);
        long notBefore = clock.millis();
        long notAfter = notBefore + validity.toMillis();
        SessionCertificate certificate = SessionCertificate.issue(
                root,
                signingKey.generatePublicKey().getEncoded(),
                agreementKey.generatePublicKey().getEncoded(),
                notBefore,
                notAfter,
                scope,
                rnd.nextLong());
        return new SessionKeys(signingSeed, agreementSecret, certificate, signingKey, agreementKey);
    }

    /** A duration as a person says it: {@code 7 days}, {@code 12 h}, {@code 36500 days 2 h 5 min 3 s}. */
    public static String describe(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return d.toMillis() + " ms";
        }
        StringBuilder b = new StringBuilder();
        long days = d.toDays();
        if (days > 0) {
            b.append(days).append(days == 1 ? " day" : " days");
        }
        appendPart(b, d.toHoursPart(), " h");
        appendPart(b, d.toMinutesPart(), " min");
        appendPart(b, d.toSecondsPart(), " s");
        appendPart(b, d.toMillisPart(), " ms");
        return b.toString();
    }

    private static void appendPart(StringBuilder b, long value, String unit) {
        if (value > 0) {
            b.append(b.isEmpty() ? "" : " ").append(value).append(unit);
        }
    }

    /** Length of {@link #exportSecret()}: the Ed25519 seed, then the X25519 secret. */
    public static final int SECRET_LENGTH = 64;

    /**
     * Rebuilds session keys from {@link #exportSecret()} output and the certificate issued for
     * them, so that a session unlocked once can be handed to scripts (like ssh-agent). The
     * certificate is checked only against the keys here (both public keys must be the ones the
     * secret derives); its signature, root and validity are the caller's to check with a
     * {@link CertificateVerifier}. The caller still owns {@code secret} and zeroes it; the
     * copies made here are zeroed by {@link #destroy()}, or at once if the keys do not match.
     *
     * @throws CertificateException with reason MALFORMED if {@code secret} is not
     *         {@value #SECRET_LENGTH} bytes or its keys are not the certificate's
     */
    public static SessionKeys restore(byte[] secret, SessionCertificate certificate) throws CertificateException {
        Objects.requireNonNull(certificate, "certificate");
        if (secret == null || secret.length != SECRET_LENGTH) {
            throw new CertificateException(
                    CertificateException.Reason.MALFORMED,
                    "session secret must be " + SECRET_LENGTH + " bytes, not "
                            + (secret == null ? "missing" : secret.length));
        }
        byte[] signingSeed = Arrays.copyOfRange(secret, 0, 32);
        byte[] agreementSecret = Arrays.copyOfRange(secret, 32, SECRET_LENGTH);
        Ed25519PrivateKeyParameters signingKey = new Ed25519PrivateKeyParameters(signingSeed, 0);
        X25519PrivateKeyParameters agreementKey = new X25519PrivateKeyParameters(agreementSecret, 0);
        boolean signingMatches =
                MessageDigest.isEqual(signingKey.generatePublicKey().getEncoded(), certificate.sessionSigningKey());
        boolean agreementMatches =
                MessageDigest.isEqual(agreementKey.generatePublicKey().getEncoded(), certificate.sessionX25519Key());
        if (!signingMatches || !agreementMatches) {
            Arrays.fill(signingSeed, (byte) 0);
            Arrays.fill(agreementSecret, (byte) 0);
            throw new CertificateException(
                    CertificateException.Reason.MALFORMED,
                    "the session secret does not "
                            + "belong to certificate " + certificate.sessionIdShort() + " ("
                            + (signingMatches ? "X25519" : "Ed25519") + " key differs)");
        }
        return new SessionKeys(signingSeed, agreementSecret, certificate, signingKey, agreementKey);
    }

    /**
     * A copy of the session's secrets ({@value #SECRET_LENGTH} bytes: Ed25519 seed, X25519
     * secret), for {@link #restore}. Never the root's secret. The caller zeroes the copy.
     *
     * @throws IllegalStateException once destroyed
     */
    public synchronized byte[] exportSecret() {
        checkAlive();
        byte[] out = new byte[SECRET_LENGTH];
        System.arraycopy(signingSeed, 0, out, 0, 32);
        System.arraycopy(agreementSecret, 0, out, 32, 32);
        return out;
    }

    /** The root-signed certificate to send with (or before) signed commands. */
    public SessionCertificate certificate() {
        return certificate;
    }

    /** Signs with the session's Ed25519 key under {@code context}. */
    public synchronized byte[] sign(SignatureContext context, byte[] message) {
        checkAlive();
        return Signatures.sign(signingKey, context, message);
    }

    /** The session's X25519 private key, to open sealed replies. */
    public synchronized X25519PrivateKeyParameters x25519Private() {
        checkAlive();
        return agreementKey;
    }

    /** Zeroes the secrets we hold and forgets the key objects; idempotent. */
    public synchronized void destroy() {
        Arrays.fill(signingSeed, (byte) 0);
        Arrays.fill(agreementSecret, (byte) 0);
        signingKey = null;
        agreementKey = null;
        destroyed = true;
    }

    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public void close() {
        destroy();
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("session " + certificate.sessionIdShort() + " has been destroyed");
        }
    }
}
