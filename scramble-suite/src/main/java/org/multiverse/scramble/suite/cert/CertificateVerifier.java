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
 * root's revocations, the lifetime (at most {@link #DEFAULT_MAX_LIFETIME} unless
 * configured shorter), then the validity window widened by
 * {@link #CLOCK_SKEW_ALLOWANCE} on each side. Thread-safe if the predicate is.
 */
public final class CertificateVerifier {

    /**
     * Allowed disagreement between the shell's clock (which set notBefore) and
     * the agent's: VM clocks drift after suspend/resume; two minutes covers that
     * without meaningfully extending a stolen session.
     */
    public static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofMinutes(2);

    /**
     * Longest session accepted unless configured shorter: what an issuer may certify at most
     * ({@link SessionKeys#MAX_VALIDITY}). A root key that signs a 100-year session by mistake or
     * under duress must not make that session key a second, unexpiring root.
     */
    public static final Duration DEFAULT_MAX_LIFETIME = SessionKeys.MAX_VALIDITY;

    private final Predicate<ScrambleId> authorisedRoots;
    private final RevocationList revocations;
    private final Duration maxLifetime;

    /**
     * A verifier accepting sessions of at most {@link #DEFAULT_MAX_LIFETIME}.
     *
     * @param authorisedRoots which roots may open sessions here
     * @param revocations revocations in force (may be shared and updated while in use)
     */
    public CertificateVerifier(Predicate<ScrambleId> authorisedRoots, RevocationList revocations) {
        this(authorisedRoots, revocations, DEFAULT_MAX_LIFETIME);
    }

    /**
     * @param authorisedRoots which roots may open sessions here
     * @param revocations revocations in force (may be shared and updated while in use)
     * @param maxLifetime longest notAfter − notBefore accepted, from one minute up to
     *        {@link #DEFAULT_MAX_LIFETIME}
     * @throws IllegalArgumentException if {@code maxLifetime} is outside that range
     */
    public CertificateVerifier(
            Predicate<ScrambleId> authorisedRoots, RevocationList revocations, Duration maxLifetime) {
        this.authorisedRoots = Objects.requireNonNull(authorisedRoots, "authorisedRoots");
        this.revocations = Objects.requireNonNull(revocations, "revocations");
        this.maxLifetime = checkMaxLifetime(maxLifetime);
    }

    /** Shortest configurable maximum: a session must outlive the unlock that made it. */
    public static final Duration MIN_MAX_LIFETIME = Duration.ofMinutes(1);

    /**
     * {@code maxLifetime} if it is a usable maximum session lifetime (one minute to seven days).
     *
     * @throws IllegalArgumentException naming the allowed range otherwise
     */
    public static Duration checkMaxLifetime(Duration maxLifetime) {
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (maxLifetime.compareTo(MIN_MAX_LIFETIME) < 0 || maxLifetime.compareTo(DEFAULT_MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("maximum session lifetime must be between 1 minute and 7 days, not "
                    + SessionKeys.describe(maxLifetime));
        }
        return maxLifetime;
    }

    /** The longest session lifetime this verifier accepts. */
    public Duration maxLifetime() {
        return maxLifetime;
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
     *         REVOKED, LIFETIME_TOO_LONG, NOT_YET_VALID or EXPIRED
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
        // notAfter > notBefore is guaranteed by decoding; the difference can still overflow.
        long lifetime = saturatedSubtract(certificate.notAfterMillis(), certificate.notBeforeMillis());
        if (lifetime < 0 || lifetime > maxLifetime.toMillis()) {
            throw new CertificateException(
                    Reason.LIFETIME_TOO_LONG,
                    "session " + certificate.sessionIdShort() + " was certified for "
                            + (lifetime < 0
                                    ? "longer than a lifetime"
                                    : SessionKeys.describe(Duration.ofMillis(lifetime)))
                            + ", longer than the " + SessionKeys.describe(maxLifetime)
                            + " this agent accepts: unlock again for a shorter session");
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
