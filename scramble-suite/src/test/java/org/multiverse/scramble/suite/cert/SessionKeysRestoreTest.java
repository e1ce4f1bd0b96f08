package org.multiverse.scramble.suite.cert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.sign.SignatureContext;

class SessionKeysRestoreTest {

    private static final byte[] MESSAGE = "portal list".getBytes(StandardCharsets.UTF_8);

    @Test
    void restoredKeysSignAndAgreeLikeTheOriginal() throws Exception {
        try (Identity root = CertificateFixtures.identity(1);
                SessionKeys original = CertificateFixtures.session(root, Scope.ALL, Duration.ofHours(1))) {
            byte[] secret = original.exportSecret();
            assertEquals(SessionKeys.SECRET_LENGTH, secret.length);
            try (SessionKeys restored = SessionKeys.restore(secret, original.certificate())) {
                assertEquals(original.certificate(), restored.certificate());
                byte[] signature = restored.sign(SignatureContext.ENVELOPE, MESSAGE);
                assertTrue(
                        original.certificate().verifySessionSignature(SignatureContext.ENVELOPE, MESSAGE, signature));
                X25519PrivateKeyParameters peer = new X25519PrivateKeyParameters(new java.security.SecureRandom());
                assertArrayEquals(agree(original.x25519Private(), peer), agree(restored.x25519Private(), peer));
            }
        }
    }

    @Test
    void restoreKeepsNoReferenceToTheCallersArray() throws Exception {
        try (Identity root = CertificateFixtures.identity(2);
                SessionKeys original = CertificateFixtures.session(root, Scope.ALL, Duration.ofHours(1))) {
            byte[] secret = original.exportSecret();
            SessionKeys restored = SessionKeys.restore(secret, original.certificate());
            Arrays.fill(secret, (byte) 0);
            assertArrayEquals(original.exportSecret(), restored.exportSecret());
            restored.destroy();
            assertTrue(restored.isDestroyed());
            assertThrows(IllegalStateException.class, restored::exportSecret);
            assertFalse(original.isDestroyed());
        }
    }

    @Test
    void secretOfAnotherSessionIsRefused() throws Exception {
        try (Identity root = CertificateFixtures.identity(3);
                SessionKeys a = CertificateFixtures.session(root, Scope.ALL, Duration.ofHours(1));
                SessionKeys b = CertificateFixtures.session(root, Scope.ALL, Duration.ofHours(1))) {
            CertificateException e = assertThrows(
                    CertificateException.class, () -> SessionKeys.restore(a.exportSecret(), b.certificate()));
            assertEquals(CertificateException.Reason.MALFORMED, e.reason());
            assertTrue(e.getMessage().contains("Ed25519 key differs"), e.getMessage());
        }
    }

    @Test
    void halfSwappedSecretIsRefusedNamingTheKey() throws Exception {
        try (Identity root = CertificateFixtures.identity(4);
                SessionKeys a = CertificateFixtures.session(root, Scope.ALL, Duration.ofHours(1));
                SessionKeys b = CertificateFixtures.session(root, Scope.ALL, Duration.ofHours(1))) {
            byte[] mixed = a.exportSecret();
            System.arraycopy(b.exportSecret(), 32, mixed, 32, 32);
            CertificateException e =
                    assertThrows(CertificateException.class, () -> SessionKeys.restore(mixed, a.certificate()));
            assertTrue(e.getMessage().contains("X25519 key differs"), e.getMessage());
        }
    }

    @Test
    void flippedBitIsRefused() throws Exception {
        try (Identity root = CertificateFixtures.identity(5);
                SessionKeys a = CertificateFixtures.session(root, Scope.ALL, Duration.ofHours(1))) {
            for (int i : new int[] {0, 31, 32, 63}) {
                byte[] secret = a.exportSecret();
                // Bit 4: X25519 clamping touches bits 0-2 of its first byte and bits 6-7 of its last, so those could
                // not count.
                secret[i] ^= 0x10;
                assertThrows(
                        CertificateException.class, () -> SessionKeys.restore(secret, a.certificate()), "byte " + i);
            }
        }
    }

    @Test
    void wrongLengthsAreRefused() throws Exception {
        try (Identity root = CertificateFixtures.identity(6);
                SessionKeys a = CertificateFixtures.session(root, Scope.ALL, Duration.ofHours(1))) {
            byte[] secret = a.exportSecret();
            for (byte[] bad : new byte[][] {new byte[0], Arrays.copyOf(secret, 63), Arrays.copyOf(secret, 65)}) {
                CertificateException e =
                        assertThrows(CertificateException.class, () -> SessionKeys.restore(bad, a.certificate()));
                assertTrue(e.getMessage().contains("64 bytes, not " + bad.length), e.getMessage());
            }
            assertThrows(CertificateException.class, () -> SessionKeys.restore(null, a.certificate()));
        }
    }

    private static byte[] agree(X25519PrivateKeyParameters mine, X25519PrivateKeyParameters peer) {
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(mine);
        byte[] out = new byte[agreement.getAgreementSize()];
        agreement.calculateAgreement(peer.generatePublicKey(), out, 0);
        return out;
    }
}
