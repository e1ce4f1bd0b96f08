package org.multiverse.scramble.suite.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.suite.sign.SignatureContext;
import org.multiverse.scramble.suite.sign.Signatures;

class IdentityTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void ed25519KeyIsTheRfc8032KeyOfTheSeed() {
        byte[] seed = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        try (Identity identity = Identity.fromSeed(seed)) {
            assertEquals(
                    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                    HEX.formatHex(identity.id().publicKey()));
        }
    }

    @Test
    void sameSeedSameKeysDifferentSeedDifferentKeys() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 7);
        try (Identity a = Identity.fromSeed(seed);
                Identity b = Identity.fromSeed(seed);
                Identity c = Identity.generate(new SecureRandom())) {
            assertEquals(a.id(), b.id());
            assertArrayEquals(a.x25519PublicKey(), b.x25519PublicKey());
            assertNotEquals(a.id(), c.id());
            assertFalse(Arrays.equals(a.x25519PublicKey(), c.x25519PublicKey()));
        }
    }

    @Test
    void x25519KeyIsDerivedNotTheSeedItself() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        try (Identity identity = Identity.fromSeed(seed)) {
            X25519PrivateKeyParameters naive = new X25519PrivateKeyParameters(seed, 0);
            assertFalse(
                    Arrays.equals(naive.getEncoded(), identity.x25519Private().getEncoded()),
                    "the X25519 secret must not reuse the Ed25519 seed bytes");
            assertArrayEquals(identity.x25519Private().generatePublicKey().getEncoded(), identity.x25519PublicKey());
            assertFalse(Arrays.equals(identity.id().publicKey(), identity.x25519PublicKey()));
        }
    }

    @Test
    void signsWithContext() {
        try (Identity identity = Identity.generate(new SecureRandom())) {
            byte[] msg = {9, 8, 7};
            byte[] sig = identity.sign(SignatureContext.ENVELOPE, msg);
            assertTrue(Signatures.verify(identity.id().publicKey(), SignatureContext.ENVELOPE, msg, sig));
            assertFalse(Signatures.verify(identity.id().publicKey(), SignatureContext.REVOCATION, msg, sig));
        }
    }

    @Test
    void seedCopyIsACopyAndFromSeedCopiesItsInput() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        byte[] original = seed.clone();
        try (Identity identity = Identity.fromSeed(seed)) {
            Arrays.fill(seed, (byte) 0);
            assertArrayEquals(original, identity.seedCopy());
            identity.seedCopy()[0] ^= 1;
            assertArrayEquals(original, identity.seedCopy());
        }
    }

    @Test
    void destroyZeroesAndLaterUseThrows() {
        Identity identity = Identity.generate(new SecureRandom());
        ScrambleId id = identity.id();
        identity.destroy();
        assertTrue(identity.isDestroyed());
        assertThrows(IllegalStateException.class, identity::seedCopy);
        assertThrows(IllegalStateException.class, identity::x25519Private);
        assertThrows(IllegalStateException.class, () -> identity.sign(SignatureContext.ENVELOPE, new byte[1]));
        assertEquals(id, identity.id(), "the public ID stays usable");
        identity.close();
    }

    @Test
    void refusesSeedsOfTheWrongLength() {
        assertEquals(
                "a seed is 32 bytes, not 31",
                assertThrows(IllegalArgumentException.class, () -> Identity.fromSeed(new byte[31]))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Identity.fromSeed(new byte[64]));
    }
}
