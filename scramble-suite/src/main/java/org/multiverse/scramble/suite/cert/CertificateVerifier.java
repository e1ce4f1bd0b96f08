package org.multiverse.scramble.suite.cert;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.multiverse.scramble.suite.cert.CertificateException.Reason;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * Decides whether a session certificate speaks for an authorised person now.
 *
 * <p>Checks, cheapest first so a flood of certificates from strangers costs no
 * signature verification: the root is authorised, the root's signature, the
 * root's revocations, then the validity window widened by
 * {@link #CLOCK_SKEW_ALLOWANCE} on each side. Thread-safe if the predicate is.
 */
public final class CertificateVerifier {

    /**
     * Allowed disagreement between the shell's clock (which set notBefore) and
     * the agent's: VM clocks drift after suspend/resume; two minutes covers that
     * without meaningfully extending a stolen session.
     */
    public static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofMinutes(2);

    private final Predicate<ScrambleId> authorisedRoots;
    private final RevocationList revocations;

    /**
     * @param authorisedRoots which roots may open sessions here
     * @param revocations revocations in force (may be shared and updated while in use)
     */
    public CertificateVerifier(Predicate<ScrambleId> authorisedRoots, RevocationList revocations) {
        this.authorisedRoots = Objects.requireNonNull(authorisedRoots, "authorisedRoots");
        this.revocations = Objects.requireNonNull(revocations, "revocations");
    }

    /** A verifier trusting exactly {@code roots}. */
    public static CertificateVerifier trusting(Set<ScrambleId> roots, RevocationList revocations) {
        Set<ScrambleId> copy = Set.copyOf(roots);
        return new CertificateVerifier(copy::contains, revocations);
    }

    /**
     * Verifies {@code certificate} at {@code now}.
     *
     * @throws CertificateException with reason UNKNOWN_ROOT, BAD_SIGNATURE,
     *         REVOKED, NOT_YET_VALID or EXPIRED
     */
    public void verify(SessionCertificate certificate, Instant now) throws CertificateException {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(now, "now");
        if (!authorisedRoots.test(certificate.root())) {
            throw new CertificateException(
                    Reason.UNKNOWN_ROOT,
                    "session certified by " + certificate.root().text() + ", which is not authorised here");
        }
        if (!signatureValid(certificate)) {
            throw new CertificateException(
                    Reason.BAD_SIGNATURE,
                    "session certificate is not signed by " + certificate.root().shortForm());
        }
        if (revocations.isRevoked(certificate)) {
            throw new CertificateException(
                    Reason.REVOKED,
                    "session " + certificate.sessionIdShort() + " was revoked by "
                            + certificate.root().shortForm());
        }
        long nowMillis = now.toEpochMilli();
        long skew = CLOCK_SKEW_ALLOWANCE.toMillis();
        if (nowMillis < saturatedSubtract(certificate.notBeforeMillis(), skew)) {
            throw new CertificateException(
                    Reason.NOT_YET_VALID,
                    "session " + certificate.sessionIdShort()
                            + " is valid from " + Instant.ofEpochMilli(certificate.notBeforeMillis()) + ", it is " + now
                            + ": check the clocks");
        }
        if (nowMillis > saturatedAdd(certificate.notAfterMillis(), skew)) {
            throw new CertificateException(
                    Reason.EXPIRED,
                    "session " + certificate.sessionIdShort() + " expired at "
                            + Instant.ofEpochMilli(certificate.notAfterMillis()) + ": unlock again");
        }
    }

    /**
     * Certificates whose root signature verified, by their exact encoding. One session signs many
     * envelopes with the same certificate; checking the root's signature once per certificate
     * instead of once per envelope halves the agent's curve arithmetic per command. The result
     * depends only on the bytes, so caching it is exact; authorisation, revocation and the
     * validity window are still checked on every call.
     */
    static final int VERIFIED_CACHE_SIZE = 1024;

    private final Map<ByteBuffer, Boolean> verified = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > VERIFIED_CACHE_SIZE;
        }
    };

    private boolean signatureValid(SessionCertificate certificate) {
        ByteBuffer key = ByteBuffer.wrap(certificate.encode());
        synchronized (verified) {
            if (verified.containsKey(key)) {
                return true;
            }
        }
        if (!certificate.signatureValid()) {
            return false;
        }
        synchronized (verified) {
            verified.put(key, Boolean.TRUE);
        }
        return true;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatedSubtract(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }
}
