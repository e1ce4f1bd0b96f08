package org.multiverse.scramble.suite.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

/** Property-style tests of context-separated signatures, with a fixed random seed. */
class SignaturesTest {

    private static final int ITERATIONS = 300;

    private final Random random = new Random(0x5C4A3B1EL);

    private Ed25519PrivateKeyParameters key() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return new Ed25519PrivateKeyParameters(seed, 0);
    }

    private byte[] message() {
        byte[] m = new byte[random.nextInt(200)];
        random.nextBytes(m);
        return m;
    }

    private SignatureContext context() {
        SignatureContext[] all = SignatureContext.values();
        return all[random.nextInt(all.length)];
    }

    @Test
    void signThenVerifyRoundTrips() {
        for (int i = 0; i < ITERATIONS; i++) {
            Ed25519PrivateKeyParameters key = key();
            byte[] pub = key.generatePublicKey().getEncoded();
            byte[] msg = message();
            SignatureContext ctx = context();
            byte[] sig = Signatures.sign(key, ctx, msg);
            assertEquals(Signatures.SIGNATURE_LENGTH, sig.length);
            assertTrue(Signatures.verify(pub, ctx, msg, sig), "iteration " + i);
        }
    }

    @Test
    void anySingleBitFlipOfMessageOrSignatureIsRefused() {
        for (int i = 0; i < ITERATIONS; i++) {
            Ed25519PrivateKeyParameters key = key();
            byte[] pub = key.generatePublicKey().getEncoded();
            byte[] msg = message();
            if (msg.length == 0) {
                msg = new byte[] {42};
            }
            SignatureContext ctx = context();
            byte[] sig = Signatures.sign(key, ctx, msg);

            byte[] badMsg = msg.clone();
            int bit = random.nextInt(badMsg.length * 8);
            badMsg[bit >>> 3] ^= (byte) (1 << (bit & 7));
            assertFalse(Signatures.verify(pub, ctx, badMsg, sig), "message bit " + bit);

            byte[] badSig = sig.clone();
            bit = random.nextInt(badSig.length * 8);
            badSig[bit >>> 3] ^= (byte) (1 << (bit & 7));
            assertFalse(Signatures.verify(pub, ctx, msg, badSig), "signature bit " + bit);

            byte[] badPub = pub.clone();
            bit = random.nextInt(badPub.length * 8);
            badPub[bit >>> 3] ^= (byte) (1 << (bit & 7));
            assertFalse(Signatures.verify(badPub, ctx, msg, sig), "public key bit " + bit);
        }
    }

    @Test
    void aSignatureUnderOneContextNeverVerifiesUnderAnother() {
        for (int i = 0; i < ITERATIONS / SignatureContext.values().length; i++) {
            Ed25519PrivateKeyParameters key = key();
            byte[] pub = key.generatePublicKey().getEncoded();
            byte[] msg = message();
            for (SignatureContext signedAs : SignatureContext.values()) {
                byte[] sig = Signatures.sign(key, signedAs, msg);
                for (SignatureContext checkedAs : SignatureContext.values()) {
                    assertEquals(
                            signedAs == checkedAs,
                            Signatures.verify(pub, checkedAs, msg, sig),
                            signedAs + " checked as " + checkedAs);
                }
            }
        }
    }

    @Test
    void theContextIsLengthPrefixedSoShiftingBytesIntoItDoesNotHelp() {
        // Without the length byte, ctx "ab" + msg "c" and ctx "a" + msg "bc" would collide.
        byte[] framed = SignatureContext.ENVELOPE.frame("x".getBytes(StandardCharsets.US_ASCII));
        assertEquals(SignatureContext.ENVELOPE.text().length(), framed[0]);
        assertEquals('x', framed[framed.length - 1]);
        Ed25519PrivateKeyParameters key = key();
        byte[] pub = key.generatePublicKey().getEncoded();
        byte[] rawOverFramed = Ed25519.sign(key, framed);
        assertTrue(Signatures.verify(
                pub, SignatureContext.ENVELOPE, "x".getBytes(StandardCharsets.US_ASCII), rawOverFramed));
        byte[] plainSig = Ed25519.sign(key, "x".getBytes(StandardCharsets.US_ASCII));
        assertFalse(
                Signatures.verify(pub, SignatureContext.ENVELOPE, "x".getBytes(StandardCharsets.US_ASCII), plainSig),
                "a context-free signature is not accepted as a context signature");
    }

    @Test
    void contextStringsAreDistinctAsciiAndVersioned() {
        Set<String> seen = new HashSet<>();
        for (SignatureContext c : SignatureContext.values()) {
            assertTrue(seen.add(c.text()), "duplicate " + c.text());
            assertTrue(c.text().startsWith("scramble/v1/"), c.text());
            assertTrue(c.text().chars().allMatch(ch -> ch > 0x20 && ch < 0x7f), c.text());
        }
    }

    @Test
    void malformedInputIsRefusedWithoutThrowing() {
        Ed25519PrivateKeyParameters key = key();
        byte[] pub = key.generatePublicKey().getEncoded();
        byte[] msg = {1, 2, 3};
        byte[] sig = Signatures.sign(key, SignatureContext.ENVELOPE, msg);

        assertFalse(Signatures.verify(null, SignatureContext.ENVELOPE, msg, sig));
        assertFalse(Signatures.verify(pub, null, msg, sig));
        assertFalse(Signatures.verify(pub, SignatureContext.ENVELOPE, null, sig));
        assertFalse(Signatures.verify(pub, SignatureContext.ENVELOPE, msg, null));
        assertFalse(Signatures.verify(new byte[0], SignatureContext.ENVELOPE, msg, sig));
        assertFalse(Signatures.verify(Arrays.copyOf(pub, 31), SignatureContext.ENVELOPE, msg, sig));
        assertFalse(Signatures.verify(Arrays.copyOf(pub, 33), SignatureContext.ENVELOPE, msg, sig));
        assertFalse(Signatures.verify(pub, SignatureContext.ENVELOPE, msg, Arrays.copyOf(sig, 63)));
        assertFalse(Signatures.verify(pub, SignatureContext.ENVELOPE, msg, Arrays.copyOf(sig, 65)));
        assertFalse(Signatures.verify(pub, SignatureContext.ENVELOPE, msg, new byte[64]));
        // y = 2 has no x on the curve: a key that is not a point.
        byte[] notAPoint = new byte[32];
        notAPoint[0] = 2;
        assertFalse(Signatures.verify(notAPoint, SignatureContext.ENVELOPE, msg, sig));
        byte[] allOnes = new byte[32];
        Arrays.fill(allOnes, (byte) 0xff);
        assertFalse(Signatures.verify(allOnes, SignatureContext.ENVELOPE, msg, sig));
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] junkKey = new byte[32];
            byte[] junkSig = new byte[64];
            random.nextBytes(junkKey);
            random.nextBytes(junkSig);
            assertFalse(Signatures.verify(junkKey, context(), message(), junkSig));
        }
    }
}
