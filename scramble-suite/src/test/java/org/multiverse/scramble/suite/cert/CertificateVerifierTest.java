package org.multiverse.scramble.suite.cert;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiverse.scramble.suite.cert.CertificateFixtures.NOW;
import static org.multiverse.scramble.suite.cert.CertificateFixtures.identity;
import static org.multiverse.scramble.suite.cert.CertificateFixtures.session;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.suite.cert.CertificateException.Reason;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.sign.SignatureContext;

class CertificateVerifierTest {

    private static final Duration SKEW = CertificateVerifier.CLOCK_SKEW_ALLOWANCE;

    private final Identity root = identity(10);
    private final Identity stranger = identity(11);
    private final RevocationList revocations = new RevocationList();
    private final CertificateVerifier verifier = CertificateVerifier.trusting(Set.of(root.id()), revocations);
    private final SessionCertificate cert =
            session(root, Scope.ALL, Duration.ofHours(12)).certificate();

    private Reason refusal(SessionCertificate c, Instant at) {
        return assertThrows(CertificateException.class, () -> verifier.verify(c, at))
                .reason();
    }

    @Test
    void acceptsAValidCertificateThroughoutItsWindow() {
        assertDoesNotThrow(() -> verifier.verify(cert, NOW));
        assertDoesNotThrow(() -> verifier.verify(cert, NOW.plus(Duration.ofHours(6))));
        assertDoesNotThrow(() -> verifier.verify(cert, Instant.ofEpochMilli(cert.notAfterMillis())));
    }

    @Test
    void clockSkewAllowanceIsTwoMinutesEachSide() {
        assertEquals(Duration.ofMinutes(2), SKEW);
        Instant notBefore = Instant.ofEpochMilli(cert.notBeforeMillis());
        Instant notAfter = Instant.ofEpochMilli(cert.notAfterMillis());
        assertDoesNotThrow(() -> verifier.verify(cert, notBefore.minus(SKEW)));
        assertEquals(Reason.NOT_YET_VALID, refusal(cert, notBefore.minus(SKEW).minusMillis(1)));
        assertDoesNotThrow(() -> verifier.verify(cert, notAfter.plus(SKEW)));
        assertEquals(Reason.EXPIRED, refusal(cert, notAfter.plus(SKEW).plusMillis(1)));
    }

    @Test
    void expiredAndNotYetValidAreNamed() {
        CertificateException expired =
                assertThrows(CertificateException.class, () -> verifier.verify(cert, NOW.plus(Duration.ofDays(1))));
        assertEquals(Reason.EXPIRED, expired.reason());
        assertTrue(expired.getMessage().contains("expired at 2026-03-01T21:00:00Z"), expired.getMessage());
        CertificateException early =
                assertThrows(CertificateException.class, () -> verifier.verify(cert, NOW.minus(Duration.ofHours(1))));
        assertEquals(Reason.NOT_YET_VALID, early.reason());
        assertTrue(early.getMessage().contains("check the clocks"), early.getMessage());
    }

    @Test
    void unknownRootIsRefusedEvenWithAValidSignature() {
        SessionCertificate strangers =
                session(stranger, Scope.ALL, Duration.ofHours(1)).certificate();
        CertificateException e = assertThrows(CertificateException.class, () -> verifier.verify(strangers, NOW));
        assertEquals(Reason.UNKNOWN_ROOT, e.reason());
        assertTrue(e.getMessage().contains(stranger.id().text()), e.getMessage());
        CertificateVerifier open = new CertificateVerifier(id -> true, revocations);
        assertDoesNotThrow(() -> open.verify(strangers, NOW));
    }

    @Test
    void aCertificateClaimingARootItWasNotSignedByHasABadSignature() throws Exception {
        // The stranger signs a certificate, then the root field is swapped for the trusted root.
        byte[] forged =
                session(stranger, Scope.ALL, Duration.ofHours(1)).certificate().encode();
        System.arraycopy(root.id().publicKey(), 0, forged, 1, 32);
        SessionCertificate decoded = SessionCertificate.decode(forged);
        assertEquals(Reason.BAD_SIGNATURE, refusal(decoded, NOW));

        // A certificate with its scope widened after signing.
        byte[] widened = session(root, Scope.READ_ONLY, Duration.ofHours(1))
                .certificate()
                .encode();
        widened[1 + 96 + 16] = Scope.ALL.code();
        assertEquals(Reason.BAD_SIGNATURE, refusal(SessionCertificate.decode(widened), NOW));

        // A certificate with its lifetime extended after signing.
        byte[] extended = cert.encode();
        ByteBuffer.wrap(extended)
                .putLong(1 + 96 + 8, cert.notAfterMillis() + Duration.ofDays(30).toMillis());
        assertEquals(Reason.BAD_SIGNATURE, refusal(SessionCertificate.decode(extended), NOW));
    }

    @Test
    void revokedSessionsAreRefusedAndLaterOnesAccepted() throws Exception {
        Instant later = NOW.plus(Duration.ofHours(1));
        assertTrue(revocations.add(RevocationStatement.sign(root, later.toEpochMilli())));
        CertificateException e = assertThrows(CertificateException.class, () -> verifier.verify(cert, later));
        assertEquals(Reason.REVOKED, e.reason());

        SessionCertificate fresh = SessionKeys.create(
                        root,
                        Scope.ALL,
                        Duration.ofHours(1),
                        java.time.Clock.fixed(later, java.time.ZoneOffset.UTC),
                        new java.security.SecureRandom())
                .certificate();
        assertDoesNotThrow(() -> verifier.verify(fresh, later), "notBefore == issuedBefore is not revoked");
    }

    @Test
    void aRevocationByAnotherRootDoesNotRevoke() throws Exception {
        revocations.add(RevocationStatement.sign(stranger, NOW.plusSeconds(3600).toEpochMilli()));
        assertDoesNotThrow(() -> verifier.verify(cert, NOW));
    }

    @Test
    void verifiedSessionSignatureChain() throws Exception {
        try (SessionKeys keys = session(root, Scope.ALL, Duration.ofHours(1))) {
            SessionCertificate received =
                    SessionCertificate.decode(keys.certificate().encode());
            verifier.verify(received, NOW);
            byte[] command = "portal list".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(received.verifySessionSignature(
                    SignatureContext.ENVELOPE, command, keys.sign(SignatureContext.ENVELOPE, command)));
        }
    }

    /** A root-signed certificate from notBefore for {@code lifetime}, which {@code SessionKeys} would refuse to make. */
    private SessionCertificate certifiedFor(long notBeforeMillis, long notAfterMillis) {
        byte[] key = root.id().publicKey();
        return SessionCertificate.issue(root, key, key, notBeforeMillis, notAfterMillis, Scope.ALL, 7);
    }

    /** Issue 14: a root-signed session valid for 100 years was accepted. */
    @Test
    void aHundredYearSessionIsRefusedThoughRootSignedAndCurrent() {
        long from = NOW.toEpochMilli();
        SessionCertificate century =
                certifiedFor(from, from + Duration.ofDays(36_525).toMillis());
        CertificateException e = assertThrows(CertificateException.class, () -> verifier.verify(century, NOW));
        assertEquals(Reason.LIFETIME_TOO_LONG, e.reason());
        assertTrue(e.getMessage().contains("36525 days"), e.getMessage());
        assertTrue(e.getMessage().contains("7 days"), e.getMessage());
        SessionCertificate endless = certifiedFor(Long.MIN_VALUE + 1, Long.MAX_VALUE);
        assertEquals(Reason.LIFETIME_TOO_LONG, refusal(endless, NOW), "a lifetime that overflows a long");
    }

    @Test
    void sevenDaysIsTheDefaultMaximumToTheMillisecond() {
        long from = NOW.toEpochMilli();
        long week = Duration.ofDays(7).toMillis();
        assertEquals(Duration.ofDays(7), verifier.maxLifetime());
        assertDoesNotThrow(() -> verifier.verify(certifiedFor(from, from + week), NOW));
        assertEquals(Reason.LIFETIME_TOO_LONG, refusal(certifiedFor(from, from + week + 1), NOW));
    }

    @Test
    void anAgentMayAcceptOnlyShorterSessions() {
        CertificateVerifier strict = new CertificateVerifier(root.id()::equals, revocations, Duration.ofHours(12));
        assertDoesNotThrow(() -> strict.verify(cert, NOW), "exactly 12 h");
        SessionCertificate day = session(root, Scope.ALL, Duration.ofHours(13)).certificate();
        CertificateException e = assertThrows(CertificateException.class, () -> strict.verify(day, NOW));
        assertEquals(Reason.LIFETIME_TOO_LONG, e.reason());
        assertTrue(e.getMessage().contains("certified for 13 h, longer than the 12 h"), e.getMessage());
        for (Duration bad : new Duration[] {Duration.ofDays(8), Duration.ofSeconds(59), Duration.ZERO}) {
            IllegalArgumentException r = assertThrows(
                    IllegalArgumentException.class, () -> new CertificateVerifier(root.id()::equals, revocations, bad));
            assertTrue(r.getMessage().contains("between 1 minute and 7 days"), r.getMessage());
        }
    }

    @Test
    void revocationIsReportedBeforeTheLifetime() throws Exception {
        long from = NOW.toEpochMilli();
        revocations.add(RevocationStatement.sign(root, from + 1));
        assertEquals(
                Reason.REVOKED,
                refusal(certifiedFor(from, from + Duration.ofDays(400).toMillis()), NOW));
    }
}
