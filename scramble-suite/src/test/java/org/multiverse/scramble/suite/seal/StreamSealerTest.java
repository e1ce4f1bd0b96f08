package org.multiverse.scramble.suite.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.multiverse.scramble.suite.replay.SlidingWindow;

class StreamSealerTest {
    private static final long SEED = 0x57AEA11L;
    private static final int MESSAGES = 300;

    private final Random random = new Random(SEED);
    private final X25519PrivateKeyParameters agent = ReplySealerTest.key(random);
    private final X25519PrivateKeyParameters subscriber = ReplySealerTest.key(random);
    private final byte[] agentPublic = agent.generatePublicKey().getEncoded();
    private final byte[] subscriberPublic = subscriber.generatePublicKey().getEncoded();
    private final byte[] streamId = bytes(16);

    @Test
    void messagesOpenOutOfOrderAndEachOnlyOnce() throws Exception {
        try (StreamSealer sealer = StreamSealer.create(agent, subscriberPublic, streamId);
                StreamOpener opener = StreamOpener.create(subscriber, agentPublic, streamId, sealer.enc())) {
            List<Integer> order = new ArrayList<>();
            List<byte[]> plaintexts = new ArrayList<>();
            List<byte[]> ciphertexts = new ArrayList<>();
            for (int seq = 0; seq < MESSAGES; seq++) {
                byte[] pt = bytes(random.nextInt(100));
                plaintexts.add(pt);
                ciphertexts.add(sealer.seal(seq, aad(seq), pt));
                order.add(seq);
            }
            Collections.shuffle(order, random);
            for (int seq : order) {
                assertArrayEquals(plaintexts.get(seq), opener.open(seq, aad(seq), ciphertexts.get(seq)));
            }
            for (int seq : order) {
                int s = seq;
                refused(() -> opener.open(s, aad(s), ciphertexts.get(s)));
            }
        }
    }

    @Test
    void flippedCiphertextAadSequenceOrStreamIsRefusedAndBurnsNothing() throws Exception {
        try (StreamSealer sealer = StreamSealer.create(agent, subscriberPublic, streamId);
                StreamOpener opener = StreamOpener.create(subscriber, agentPublic, streamId, sealer.enc())) {
            for (int seq = 0; seq < MESSAGES; seq++) {
                byte[] aad = aad(seq);
                byte[] ct = sealer.seal(seq, aad, bytes(1 + random.nextInt(64)));
                long s = seq;
                refused(() -> opener.open(s, aad, flipBit(ct)));
                refused(() -> opener.open(s, flipBit(aad), ct));
                refused(() -> opener.open(s ^ (1L << random.nextInt(64)), aad, ct));
                // A forgery did not use up the number: the genuine message still opens.
                opener.open(seq, aad, ct);
            }
        }
    }

    @Test
    void anotherStreamIdOrSenderOrFlippedEncDoesNotOpen() throws Exception {
        try (StreamSealer sealer = StreamSealer.create(agent, subscriberPublic, streamId)) {
            byte[] ct = sealer.seal(0, new byte[0], bytes(12));
            byte[] otherId = streamId.clone();
            otherId[0] ^= 1;
            X25519PublicKeyParameters stranger = ReplySealerTest.key(random).generatePublicKey();
            for (StreamOpener wrong : List.of(
                    StreamOpener.create(subscriber, agentPublic, otherId, sealer.enc()),
                    StreamOpener.create(subscriber, stranger.getEncoded(), streamId, sealer.enc()),
                    StreamOpener.create(subscriber, agentPublic, streamId, flipBit(sealer.enc())))) {
                refused(() -> wrong.open(0, new byte[0], ct));
            }
        }
    }

    @Test
    void hostileSetupAndMessageInputsGiveOnlySealException() throws Exception {
        refused(() -> StreamOpener.create(subscriber, agentPublic, streamId, new byte[31]));
        refused(() -> StreamOpener.create(subscriber, agentPublic, streamId, null));
        refused(() -> StreamOpener.create(subscriber, agentPublic, streamId, new byte[32]));
        refused(() -> StreamOpener.create(subscriber, new byte[33], streamId, bytes(32)));
        refused(() -> StreamOpener.create(subscriber, agentPublic, new byte[0], bytes(32)));
        refused(() -> StreamOpener.create(subscriber, agentPublic, new byte[65], bytes(32)));
        try (StreamSealer sealer = StreamSealer.create(agent, subscriberPublic, streamId)) {
            StreamOpener opener = StreamOpener.create(subscriber, agentPublic, streamId, sealer.enc());
            byte[] ct = sealer.seal(5, new byte[0], bytes(20));
            for (int length = 0; length < ct.length; length++) {
                byte[] truncated = java.util.Arrays.copyOf(ct, length);
                refused(() -> opener.open(5, new byte[0], truncated));
            }
            refused(() -> opener.open(5, null, ct));
            refused(() -> opener.open(5, new byte[0], null));
            refused(() -> opener.open(-1L, new byte[0], ct)); // 2^64 - 1: beyond the last number
            opener.close();
            refused(() -> opener.open(5, new byte[0], ct));
        }
    }

    @Test
    void messagesTooFarBelowTheHighestAreRefused() throws Exception {
        try (StreamSealer sealer = StreamSealer.create(agent, subscriberPublic, streamId);
                StreamOpener opener = StreamOpener.create(subscriber, agentPublic, streamId, sealer.enc())) {
            byte[] old = sealer.seal(0, new byte[0], bytes(4));
            byte[] lastInWindow = sealer.seal(1, new byte[0], bytes(4));
            long highest = SlidingWindow.WINDOW_SIZE;
            opener.open(highest, new byte[0], sealer.seal(highest, new byte[0], bytes(4)));
            refused(() -> opener.open(0, new byte[0], old));
            opener.open(1, new byte[0], lastInWindow);
        }
    }

    @Test
    void senderRefusesSequenceReuseAndGoingBackButAllowsGaps() {
        try (StreamSealer sealer = StreamSealer.create(agent, subscriberPublic, streamId)) {
            sealer.seal(0, new byte[0], new byte[1]);
            IllegalStateException reuse =
                    assertThrows(IllegalStateException.class, () -> sealer.seal(0, new byte[0], new byte[1]));
            assertEquals("stream sequence 0 reused or out of order", reuse.getMessage());
            sealer.seal(10, new byte[0], new byte[1]);
            assertThrows(IllegalStateException.class, () -> sealer.seal(9, new byte[0], new byte[1]));
            assertThrows(IllegalStateException.class, () -> sealer.seal(10, new byte[0], new byte[1]));
            sealer.seal(Long.MAX_VALUE, new byte[0], new byte[1]);
            sealer.seal(Long.MIN_VALUE, new byte[0], new byte[1]); // 2^63, unsigned order
            assertThrows(IllegalArgumentException.class, () -> sealer.seal(-1L, new byte[0], new byte[1]));
            sealer.seal(-2L, new byte[0], new byte[1]); // 2^64 - 2: the last usable number
            assertThrows(IllegalStateException.class, () -> sealer.seal(-2L, new byte[0], new byte[1]));
            assertThrows(IllegalStateException.class, () -> sealer.seal(-1L, new byte[0], new byte[1]));
        }
    }

    @Test
    void closedSealerRefusesToSeal() {
        StreamSealer sealer = StreamSealer.create(agent, subscriberPublic, streamId);
        sealer.close();
        IllegalStateException closed =
                assertThrows(IllegalStateException.class, () -> sealer.seal(0, new byte[0], new byte[1]));
        assertEquals("stream is closed", closed.getMessage());
    }

    @Test
    void senderSetupRefusesCallerMistakes() {
        assertThrows(IllegalArgumentException.class, () -> StreamSealer.create(agent, new byte[32], streamId));
        assertThrows(IllegalArgumentException.class, () -> StreamSealer.create(agent, new byte[31], streamId));
        assertThrows(IllegalArgumentException.class, () -> StreamSealer.create(agent, subscriberPublic, new byte[0]));
    }

    /**
     * The documented construction, computed independently: HPKE auth-mode receiver setup with
     * the documented info, the two exports, the nonce by hand, and the JDK's own
     * ChaCha20-Poly1305 (not Bouncy Castle's). What RTOS firmware must implement.
     */
    @Test
    void wireFormatIsTheDocumentedConstruction() throws Exception {
        long sequence = 0x0102030405060708L;
        byte[] aad = "event".getBytes(StandardCharsets.US_ASCII);
        byte[] plaintext = "portal web started".getBytes(StandardCharsets.US_ASCII);
        try (StreamSealer sealer = StreamSealer.create(agent, subscriberPublic, streamId)) {
            byte[] ct = sealer.seal(sequence, aad, plaintext);

            byte[] info = ByteBuffer.allocate(19 + streamId.length)
                    .put("scramble-stream-v1:".getBytes(StandardCharsets.US_ASCII))
                    .put(streamId)
                    .array();
            HPKEContext context = HpkeSuite.authMode()
                    .setupAuthR(
                            sealer.enc(),
                            HpkeSuite.keyPair(subscriber),
                            info,
                            new X25519PublicKeyParameters(agentPublic));
            byte[] key = context.export("scramble stream key".getBytes(StandardCharsets.US_ASCII), 32);
            byte[] nonce = context.export("scramble stream nonce".getBytes(StandardCharsets.US_ASCII), 12);
            byte[] counter = ByteBuffer.allocate(12).putInt(0).putLong(sequence).array();
            for (int i = 0; i < 12; i++) {
                nonce[i] ^= counter[i];
            }
            Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
            jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            jdk.updateAAD(aad);
            assertArrayEquals(plaintext, jdk.doFinal(ct));
        }
    }

    private static byte[] aad(int seq) {
        return ("event-" + seq).getBytes(StandardCharsets.US_ASCII);
    }

    private static void refused(Executable open) {
        SealException e = assertThrows(SealException.class, open);
        assertEquals(SealException.STREAM_MESSAGE, e.getMessage());
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
}
