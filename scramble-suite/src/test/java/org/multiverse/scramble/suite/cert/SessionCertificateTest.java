package org.multiverse.scramble.suite.cert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiverse.scramble.suite.cert.CertificateFixtures.NOW;
import static org.multiverse.scramble.suite.cert.CertificateFixtures.identity;
import static org.multiverse.scramble.suite.cert.CertificateFixtures.session;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.suite.cert.CertificateException.Reason;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.sign.SignatureContext;

class SessionCertificateTest {

    private final Identity root = identity(1);

    private static Reason decodeFailure(byte[] encoded) {
        return assertThrows(CertificateException.class, () -> SessionCertificate.decode(encoded))
                .reason();
    }

    @Test
    void encodesToFixedLengthAndDecodesToTheSameCertificate() throws Exception {
        try (SessionKeys keys = session(root, Scope.READ_ONLY, Duration.ofHours(1))) {
            SessionCertificate cert = keys.certificate();
            byte[] encoded = cert.encode();
            assertEquals(186, encoded.length);
            assertEquals(SessionCertificate.ENCODED_LENGTH, encoded.length);
            SessionCertificate back = SessionCertificate.decode(encoded);
            assertEquals(cert, back);
            assertArrayEquals(encoded, back.encode());
            assertEquals(root.id(), back.root());
            assertEquals(Scope.READ_ONLY, back.scope());
            assertEquals(NOW.toEpochMilli(), back.notBeforeMillis());
            assertEquals(NOW.toEpochMilli() + 3_600_000, back.notAfterMillis());
            assertEquals(cert.serial(), back.serial());
            assertArrayEquals(cert.sessionX25519Key(), back.sessionX25519Key());
        }
    }

    @Test
    void sessionKeysSignAndTheCertificateCarriesTheirPublicKeys() {
        try (SessionKeys keys = session(root, Scope.ALL, SessionKeys.DEFAULT_VALIDITY)) {
            SessionCertificate cert = keys.certificate();
            byte[] msg = {1, 2, 3};
            byte[] sig = keys.sign(SignatureContext.ENVELOPE, msg);
            assertTrue(cert.verifySessionSignature(SignatureContext.ENVELOPE, msg, sig));
            assertFalse(cert.verifySessionSignature(SignatureContext.RTOS_COMMAND, msg, sig));
            assertArrayEquals(keys.x25519Private().generatePublicKey().getEncoded(), cert.sessionX25519Key());
            assertEquals(12 * 3_600_000L, cert.notAfterMillis() - cert.notBeforeMillis());
            assertFalse(
                    Arrays.equals(cert.sessionSigningKey(), root.id().publicKey()),
                    "the session key is not the root key");
        }
    }

    @Test
    void sessionIdShortIsSixteenHexCharactersAndDiffersPerSession() {
        try (SessionKeys a = session(root, Scope.ALL, Duration.ofHours(1));
                SessionKeys b = session(root, Scope.ALL, Duration.ofHours(1))) {
            assertTrue(a.certificate().sessionIdShort().matches("[0-9a-f]{16}"));
            assertNotEquals(a.certificate().sessionIdShort(), b.certificate().sessionIdShort());
        }
    }

    @Test
    void destroyedSessionKeysCannotBeUsed() {
        SessionKeys keys = session(root, Scope.ALL, Duration.ofHours(1));
        keys.close();
        assertTrue(keys.isDestroyed());
        assertThrows(IllegalStateException.class, () -> keys.sign(SignatureContext.ENVELOPE, new byte[0]));
        assertThrows(IllegalStateException.class, keys::x25519Private);
    }

    @Test
    void validityMustBePositiveAndBounded() {
        assertThrows(IllegalArgumentException.class, () -> session(root, Scope.ALL, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> session(root, Scope.ALL, Duration.ofMinutes(-1)));
        assertThrows(
                IllegalArgumentException.class, () -> session(root, Scope.ALL, SessionKeys.MAX_VALIDITY.plusMillis(1)));
        IllegalArgumentException century =
                assertThrows(IllegalArgumentException.class, () -> session(root, Scope.ALL, Duration.ofDays(36_525)));
        assertEquals(
                "a session may be certified for at most 7 days (agents refuse longer ones), not 36525 days",
                century.getMessage());
        session(root, Scope.ALL, SessionKeys.MAX_VALIDITY).close();
    }

    @Test
    void truncatedOversizedAndGarbageAreMalformed() {
        byte[] good;
        try (SessionKeys keys = session(root, Scope.ALL, Duration.ofHours(1))) {
            good = keys.certificate().encode();
        }
        assertEquals(Reason.MALFORMED, decodeFailure(null));
        assertEquals(Reason.MALFORMED, decodeFailure(new byte[0]));
        for (int n = 0; n < good.length; n += 17) {
            byte[] cut = Arrays.copyOf(good, n);
            CertificateException e = assertThrows(CertificateException.class, () -> SessionCertificate.decode(cut));
            assertEquals("MALFORMED: truncated session certificate: " + n + " bytes, expected 186", e.getMessage());
        }
        assertEquals(Reason.MALFORMED, decodeFailure(Arrays.copyOf(good, good.length - 1)));
        CertificateException big =
                assertThrows(CertificateException.class, () -> SessionCertificate.decode(Arrays.copyOf(good, 1 << 20)));
        assertEquals("MALFORMED: oversized session certificate: 1048576 bytes, expected 186", big.getMessage());
        assertEquals(Reason.MALFORMED, decodeFailure(Arrays.copyOf(good, good.length + 1)));

        Random random = new Random(3);
        for (int i = 0; i < 300; i++) {
            byte[] junk = new byte[random.nextBoolean() ? 186 : random.nextInt(400)];
            random.nextBytes(junk);
            try {
                SessionCertificate decoded = SessionCertificate.decode(junk);
                // Structurally plausible junk must still fail verification.
                CertificateVerifier verifier = new CertificateVerifier(id -> true, new RevocationList());
                assertThrows(CertificateException.class, () -> verifier.verify(decoded, NOW));
            } catch (CertificateException expected) {
                assertEquals(Reason.MALFORMED, expected.reason());
            }
        }
    }

    @Test
    void fieldLevelMalformationsAreNamed() {
        byte[] good;
        try (SessionKeys keys = session(root, Scope.ALL, Duration.ofHours(1))) {
            good = keys.certificate().encode();
        }
        byte[] version = good.clone();
        version[0] = 2;
        assertEquals(
                "MALFORMED: unknown session certificate version 2",
                assertThrows(CertificateException.class, () -> SessionCertificate.decode(version))
                        .getMessage());

        byte[] scope = good.clone();
        scope[1 + 96 + 16] = 9;
        assertEquals(
                "MALFORMED: unknown scope code 9",
                assertThrows(CertificateException.class, () -> SessionCertificate.decode(scope))
                        .getMessage());

        byte[] window = good.clone();
        ByteBuffer.wrap(window).putLong(1 + 96 + 8, NOW.toEpochMilli() - 1);
        assertEquals(
                "MALFORMED: notAfter is not after notBefore",
                assertThrows(CertificateException.class, () -> SessionCertificate.decode(window))
                        .getMessage());

        byte[] zeroX = good.clone();
        Arrays.fill(zeroX, 1 + 64, 1 + 96, (byte) 0);
        assertEquals(Reason.MALFORMED, decodeFailure(zeroX));

        byte[] badRoot = good.clone();
        Arrays.fill(badRoot, 1, 33, (byte) 0);
        badRoot[1] = 2; // y = 2 is not on the curve
        assertTrue(assertThrows(CertificateException.class, () -> SessionCertificate.decode(badRoot))
                .getMessage()
                .startsWith("MALFORMED: root key:"));
    }

    @Test
    void everySingleBitFlipOfAnEncodedCertificateIsRefused() throws Exception {
        CertificateVerifier verifier = CertificateVerifier.trusting(Set.of(root.id()), new RevocationList());
        for (int round = 0; round < 2; round++) {
            byte[] good;
            try (SessionKeys keys = SessionKeys.create(
                    root, Scope.READ_ONLY, Duration.ofHours(1), CertificateFixtures.CLOCK, new SecureRandom())) {
                good = keys.certificate().encode();
            }
            verifier.verify(SessionCertificate.decode(good), NOW);
            for (int bit = 0; bit < good.length * 8; bit++) {
                byte[] flipped = good.clone();
                flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
                boolean refused;
                try {
                    verifier.verify(SessionCertificate.decode(flipped), NOW);
                    refused = false;
                } catch (CertificateException e) {
                    refused = true;
                }
                assertTrue(refused, "bit " + bit + " flipped was accepted");
            }
        }
    }
}
