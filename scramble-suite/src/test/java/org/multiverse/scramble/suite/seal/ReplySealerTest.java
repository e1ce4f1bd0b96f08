package org.multiverse.scramble.suite.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ReplySealerTest {
    /** Fixed so a failure reproduces; change it to explore. */
    private static final long SEED = 0x5C4A3B1EL;

    private static final int ITERATIONS = 300;

    private final Random random = new Random(SEED);
    private final X25519PrivateKeyParameters agent = key(random);
    private final X25519PrivateKeyParameters session = key(random);
    private final byte[] agentPublic = agent.generatePublicKey().getEncoded();
    private final byte[] sessionPublic = session.generatePublicKey().getEncoded();

    @Test
    void roundTripsAndEverySingleBitFlipOrWrongKeyIsRefused() throws Exception {
        X25519PrivateKeyParameters stranger = key(random);
        byte[] strangerPublic = stranger.generatePublicKey().getEncoded();
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] requestId = bytes(1 + random.nextInt(HpkeSuite.MAX_ID_BYTES));
            byte[] plaintext = bytes(random.nextInt(300));
            SealedReply reply = ReplySealer.seal(agent, sessionPublic, requestId, plaintext);
            byte[] enc = reply.enc();
            byte[] ct = reply.ciphertext();
            assertEquals(32, enc.length);
            assertEquals(plaintext.length + 16, ct.length);
            assertArrayEquals(plaintext, ReplySealer.open(session, agentPublic, requestId, enc, ct));

            refused(() -> ReplySealer.open(session, agentPublic, requestId, flipBit(enc), ct));
            refused(() -> ReplySealer.open(session, agentPublic, requestId, enc, flipBit(ct)));
            refused(() -> ReplySealer.open(session, agentPublic, flipBit(requestId), enc, ct));
            refused(() -> ReplySealer.open(session, flipBit(agentPublic), requestId, enc, ct));
            // Not from the pinned agent; not for this recipient.
            refused(() -> ReplySealer.open(session, strangerPublic, requestId, enc, ct));
            refused(() -> ReplySealer.open(stranger, agentPublic, requestId, enc, ct));
        }
    }

    @Test
    void aReplyDoesNotOpenForAnotherRequestIdEvenAPrefixOrExtension() throws Exception {
        byte[] requestId = bytes(16);
        SealedReply reply = ReplySealer.seal(agent, sessionPublic, requestId, bytes(10));
        refused(() -> open(Arrays.copyOf(requestId, 15), reply));
        refused(() -> open(Arrays.copyOf(requestId, 17), reply));
        refused(() -> open(bytes(16), reply));
        assertEquals(10, open(requestId, reply).length);
    }

    @Test
    void sealingTwiceGivesDifferentEncAndCiphertext() {
        byte[] requestId = bytes(16);
        byte[] plaintext = bytes(20);
        SealedReply one = ReplySealer.seal(agent, sessionPublic, requestId, plaintext);
        SealedReply two = ReplySealer.seal(agent, sessionPublic, requestId, plaintext);
        assertFalse(Arrays.equals(one.enc(), two.enc()), "fresh ephemeral key per reply");
        assertFalse(Arrays.equals(one.ciphertext(), two.ciphertext()));
        assertNotEquals(one, two);
    }

    @Test
    void emptyPlaintextAndLargestRequestIdWork() throws Exception {
        byte[] requestId = bytes(HpkeSuite.MAX_ID_BYTES);
        SealedReply reply = ReplySealer.seal(agent, sessionPublic, requestId, new byte[0]);
        assertEquals(0, open(requestId, reply).length);
    }

    @Test
    void hostileLengthsAndNullsGiveOnlySealException() throws Exception {
        byte[] requestId = bytes(16);
        SealedReply reply = ReplySealer.seal(agent, sessionPublic, requestId, bytes(40));
        byte[] enc = reply.enc();
        byte[] ct = reply.ciphertext();
        for (int length : new int[] {0, 1, 31, 33, 64}) {
            byte[] wrong = bytes(length);
            refused(() -> ReplySealer.open(session, agentPublic, requestId, wrong, ct));
            refused(() -> ReplySealer.open(session, wrong, requestId, enc, ct));
        }
        refused(() -> ReplySealer.open(session, agentPublic, requestId, null, ct));
        refused(() -> ReplySealer.open(session, null, requestId, enc, ct));
        refused(() -> ReplySealer.open(session, agentPublic, null, enc, ct));
        refused(() -> ReplySealer.open(session, agentPublic, requestId, enc, null));
        refused(() -> ReplySealer.open(session, agentPublic, new byte[0], enc, ct));
        refused(() -> ReplySealer.open(session, agentPublic, bytes(HpkeSuite.MAX_ID_BYTES + 1), enc, ct));
        for (int length = 0; length < ct.length; length++) {
            byte[] truncated = Arrays.copyOf(ct, length);
            refused(() -> ReplySealer.open(session, agentPublic, requestId, enc, truncated));
        }
        byte[] extended = Arrays.copyOf(ct, ct.length + 1);
        refused(() -> ReplySealer.open(session, agentPublic, requestId, enc, extended));
        byte[] oversized = new byte[HpkeSuite.MAX_PLAINTEXT_BYTES + HpkeSuite.TAG_BYTES + 1];
        refused(() -> ReplySealer.open(session, agentPublic, requestId, enc, oversized));
    }

    @Test
    void lowOrderAndNonCanonicalEncodingsAsEncGiveOnlySealException() throws Exception {
        byte[] requestId = bytes(16);
        SealedReply reply = ReplySealer.seal(agent, sessionPublic, requestId, bytes(8));
        String[] hostile = {
            "0000000000000000000000000000000000000000000000000000000000000000", // 0
            "0100000000000000000000000000000000000000000000000000000000000000", // 1
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", // order 8
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", // order 8
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p - 1
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p (= 0)
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p + 1 (= 1)
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // all ones
        };
        for (String hex : hostile) {
            byte[] enc = HexFormat.of().parseHex(hex);
            refused(() -> ReplySealer.open(session, agentPublic, requestId, enc, reply.ciphertext()));
            refused(() -> ReplySealer.open(session, enc, requestId, reply.enc(), reply.ciphertext()));
        }
    }

    @Test
    void sealRefusesCallerMistakesWithSpecificErrors() {
        byte[] requestId = bytes(16);
        IllegalArgumentException shortKey = assertThrows(
                IllegalArgumentException.class, () -> ReplySealer.seal(agent, new byte[31], requestId, new byte[1]));
        assertEquals("recipient public key must be a 32-byte X25519 key", shortKey.getMessage());
        IllegalArgumentException lowOrder = assertThrows(
                IllegalArgumentException.class, () -> ReplySealer.seal(agent, new byte[32], requestId, new byte[1]));
        assertEquals(
                "recipient public key is a low-order X25519 point (all-zero shared secret)", lowOrder.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> ReplySealer.seal(agent, sessionPublic, new byte[0], new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> ReplySealer.seal(agent, sessionPublic, requestId, null));
        IllegalArgumentException tooBig = assertThrows(
                IllegalArgumentException.class,
                () -> ReplySealer.seal(agent, sessionPublic, requestId, new byte[HpkeSuite.MAX_PLAINTEXT_BYTES + 1]));
        assertEquals("plaintext of 16777217 bytes exceeds 16777216", tooBig.getMessage());
    }

    @Test
    void sealedReplyCopiesItsArrays() {
        byte[] enc = bytes(32);
        SealedReply reply = new SealedReply(enc, bytes(16));
        enc[0] ^= 1;
        assertFalse(Arrays.equals(enc, reply.enc()));
        reply.enc()[1] ^= 1;
        assertEquals(reply, new SealedReply(reply.enc(), reply.ciphertext()));
        assertEquals("SealedReply[enc=32 bytes, ciphertext=16 bytes]", reply.toString());
    }

    private byte[] open(byte[] requestId, SealedReply reply) throws SealException {
        return ReplySealer.open(session, agentPublic, requestId, reply.enc(), reply.ciphertext());
    }

    private static void refused(Executable open) {
        SealException e = assertThrows(SealException.class, open);
        assertEquals(SealException.REPLY_MESSAGE, e.getMessage());
        assertEquals(null, e.getCause());
    }

    private byte[] flipBit(byte[] input) {
        byte[] copy = input.clone();
        int bit = random.nextInt(copy.length * 8);
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    private byte[] bytes(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    static X25519PrivateKeyParameters key(Random random) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return new X25519PrivateKeyParameters(raw);
    }
}
