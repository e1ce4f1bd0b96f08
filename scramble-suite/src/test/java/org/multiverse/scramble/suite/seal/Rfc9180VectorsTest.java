package org.multiverse.scramble.suite.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.AEAD;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9180 vectors for DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / ChaCha20-Poly1305 in all
 * four modes, through Bouncy Castle's HPKE (the calls {@link ReplySealer} makes).
 *
 * <p>Per mode: DeriveKeyPair(ikm) gives the vector's keys; the receiver's setup from the
 * vector's {@code enc} opens all 257 encryptions in order and re-seals them to the same
 * ciphertexts; the vector's {@code key}/{@code base_nonce} drive BC's {@link AEAD} and the
 * suite's {@link StreamKeys} to the same ciphertexts and nonces; every export matches. Where
 * BC lets the ephemeral key be injected (base mode) the sender's {@code enc} and ciphertexts
 * are checked too; elsewhere a fresh sender round trip is checked. BC exposes no KEM
 * {@code shared_secret}; it is covered through the key schedule outputs it determines.
 */
class Rfc9180VectorsTest {
    private static final List<JsonNode> VECTORS = vectors();

    private static List<JsonNode> vectors() {
        List<JsonNode> list = new ArrayList<>();
        Vectors.load("hpke/rfc9180-x25519-sha256-chacha20poly1305.json").forEach(list::add);
        return list;
    }

    static Stream<JsonNode> modes() {
        return VECTORS.stream();
    }

    @Test
    void fileHoldsOneVectorPerModeForOurSuite() {
        assertEquals(4, VECTORS.size());
        for (int mode = 0; mode < 4; mode++) {
            assertEquals(mode, VECTORS.get(mode).get("mode").asInt());
            assertEquals(HPKE.kem_X25519_SHA256, VECTORS.get(mode).get("kem_id").asInt());
            assertEquals(HPKE.kdf_HKDF_SHA256, VECTORS.get(mode).get("kdf_id").asInt());
            assertEquals(
                    HPKE.aead_CHACHA20_POLY1305,
                    VECTORS.get(mode).get("aead_id").asInt());
            assertEquals(257, VECTORS.get(mode).get("encryptions").size());
        }
    }

    @ParameterizedTest(name = "mode {index}")
    @MethodSource("modes")
    void deriveKeyPairGivesTheVectorsKeys(JsonNode v) {
        HPKE hpke = hpke(v);
        assertKeys(hpke, hpke.deriveKeyPair(Vectors.hex(v, "ikmR")), v, "skRm", "pkRm");
        assertKeys(hpke, hpke.deriveKeyPair(Vectors.hex(v, "ikmE")), v, "skEm", "pkEm");
        if (hasSender(v)) {
            assertKeys(hpke, hpke.deriveKeyPair(Vectors.hex(v, "ikmS")), v, "skSm", "pkSm");
        }
    }

    @ParameterizedTest(name = "mode {index}")
    @MethodSource("modes")
    void receiverOpensAndResealsEveryEncryption(JsonNode v) throws Exception {
        HPKEContext opener = receiver(v);
        HPKEContext resealer = receiver(v);
        for (JsonNode e : v.get("encryptions")) {
            byte[] aad = Vectors.hex(e, "aad");
            assertArrayEquals(Vectors.hex(e, "pt"), opener.open(aad, Vectors.hex(e, "ct")));
            assertArrayEquals(Vectors.hex(e, "ct"), resealer.seal(aad, Vectors.hex(e, "pt")));
        }
    }

    @ParameterizedTest(name = "mode {index}")
    @MethodSource("modes")
    void keyScheduleOutputsGiveEveryNonceAndCiphertext(JsonNode v) throws Exception {
        AEAD aead = new AEAD(HPKE.aead_CHACHA20_POLY1305, Vectors.hex(v, "key"), Vectors.hex(v, "base_nonce"));
        try (StreamKeys stream = new StreamKeys(Vectors.hex(v, "key"), Vectors.hex(v, "base_nonce"))) {
            long sequence = 0;
            for (JsonNode e : v.get("encryptions")) {
                byte[] aad = Vectors.hex(e, "aad");
                byte[] pt = Vectors.hex(e, "pt");
                byte[] ct = Vectors.hex(e, "ct");
                assertArrayEquals(ct, aead.seal(aad, pt));
                // The stream nonce rule is HPKE's own, with the sequence number made explicit.
                assertArrayEquals(Vectors.hex(e, "nonce"), stream.nonce(sequence));
                assertArrayEquals(ct, stream.seal(sequence, aad, pt));
                assertArrayEquals(pt, stream.open(sequence, aad, ct));
                sequence++;
            }
        }
    }

    @ParameterizedTest(name = "mode {index}")
    @MethodSource("modes")
    void everyExportMatches(JsonNode v) {
        HPKEContext context = receiver(v);
        assertEquals(3, v.get("exports").size());
        for (JsonNode x : v.get("exports")) {
            assertArrayEquals(
                    Vectors.hex(x, "exported_value"),
                    context.export(
                            Vectors.hex(x, "exporter_context"), x.get("L").asInt()));
        }
    }

    @Test
    void baseModeSenderWithTheVectorsEphemeralKeyGivesEncAndCiphertexts() throws Exception {
        JsonNode v = VECTORS.get(HPKE.mode_base);
        HPKE hpke = hpke(v);
        HPKEContextWithEncapsulation sender = hpke.setupBaseS(
                hpke.deriveKeyPair(Vectors.hex(v, "ikmR")).getPublic(),
                Vectors.hex(v, "info"),
                hpke.deriveKeyPair(Vectors.hex(v, "ikmE")));
        assertArrayEquals(Vectors.hex(v, "enc"), sender.getEncapsulation());
        for (JsonNode e : v.get("encryptions")) {
            assertArrayEquals(Vectors.hex(e, "ct"), sender.seal(Vectors.hex(e, "aad"), Vectors.hex(e, "pt")));
        }
    }

    @ParameterizedTest(name = "mode {index}")
    @MethodSource("modes")
    void freshSenderRoundTripsWithTheVectorsKeys(JsonNode v) throws Exception {
        HPKE hpke = hpke(v);
        AsymmetricCipherKeyPair r = hpke.deriveKeyPair(Vectors.hex(v, "ikmR"));
        byte[] info = Vectors.hex(v, "info");
        HPKEContextWithEncapsulation sender = switch (v.get("mode").asInt()) {
            case HPKE.mode_base -> hpke.setupBaseS(r.getPublic(), info);
            case HPKE.mode_psk -> hpke.SetupPSKS(r.getPublic(), info, psk(v), pskId(v));
            case HPKE.mode_auth -> hpke.setupAuthS(r.getPublic(), info, senderKeys(hpke, v));
            default -> hpke.setupAuthPSKS(r.getPublic(), info, psk(v), pskId(v), senderKeys(hpke, v));
        };
        HPKEContext receiver = receiver(v, sender.getEncapsulation());
        byte[] ct = sender.seal(new byte[] {1}, new byte[] {2, 3});
        assertArrayEquals(new byte[] {2, 3}, receiver.open(new byte[] {1}, ct));
        assertArrayEquals(sender.export(new byte[] {4}, 42), receiver.export(new byte[] {4}, 42));
    }

    /** The auth-mode vector through the very code {@link ReplySealer#open} runs. */
    @Test
    void replySealersOpenPathOpensTheAuthModeVector() throws Exception {
        JsonNode v = VECTORS.get(HPKE.mode_auth);
        HPKE hpke = hpke(v);
        X25519PrivateKeyParameters recipient = (X25519PrivateKeyParameters)
                hpke.deriveKeyPair(Vectors.hex(v, "ikmR")).getPrivate();
        byte[] senderPublic = Vectors.hex(v, "pkSm");
        JsonNode first = v.get("encryptions").get(0);
        assertArrayEquals(
                Vectors.hex(first, "pt"),
                ReplySealer.openWith(
                        recipient,
                        senderPublic,
                        Vectors.hex(v, "info"),
                        Vectors.hex(first, "aad"),
                        Vectors.hex(v, "enc"),
                        Vectors.hex(first, "ct")));
        // A reply is always the context's first message: the second encryption does not open.
        JsonNode second = v.get("encryptions").get(1);
        assertThrows(
                SealException.class,
                () -> ReplySealer.openWith(
                        recipient,
                        senderPublic,
                        Vectors.hex(v, "info"),
                        Vectors.hex(second, "aad"),
                        Vectors.hex(v, "enc"),
                        Vectors.hex(second, "ct")));
    }

    private static HPKE hpke(JsonNode v) {
        return new HPKE(
                (byte) v.get("mode").asInt(),
                HPKE.kem_X25519_SHA256,
                HPKE.kdf_HKDF_SHA256,
                HPKE.aead_CHACHA20_POLY1305);
    }

    private static HPKEContext receiver(JsonNode v) {
        return receiver(v, Vectors.hex(v, "enc"));
    }

    private static HPKEContext receiver(JsonNode v, byte[] enc) {
        HPKE hpke = hpke(v);
        AsymmetricCipherKeyPair r = hpke.deriveKeyPair(Vectors.hex(v, "ikmR"));
        byte[] info = Vectors.hex(v, "info");
        return switch (v.get("mode").asInt()) {
            case HPKE.mode_base -> hpke.setupBaseR(enc, r, info);
            case HPKE.mode_psk -> hpke.setupPSKR(enc, r, info, psk(v), pskId(v));
            case HPKE.mode_auth -> hpke.setupAuthR(enc, r, info, senderPublic(hpke, v));
            default -> hpke.setupAuthPSKR(enc, r, info, psk(v), pskId(v), senderPublic(hpke, v));
        };
    }

    private static boolean hasSender(JsonNode v) {
        int mode = v.get("mode").asInt();
        return mode == HPKE.mode_auth || mode == HPKE.mode_auth_psk;
    }

    private static AsymmetricCipherKeyPair senderKeys(HPKE hpke, JsonNode v) {
        return hpke.deriveKeyPair(Vectors.hex(v, "ikmS"));
    }

    private static AsymmetricKeyParameter senderPublic(HPKE hpke, JsonNode v) {
        return hpke.deserializePublicKey(Vectors.hex(v, "pkSm"));
    }

    private static byte[] psk(JsonNode v) {
        return Vectors.hex(v, "psk");
    }

    private static byte[] pskId(JsonNode v) {
        return Vectors.hex(v, "psk_id");
    }

    /**
     * The vectors list the scalar as DeriveKeyPair output it; RFC 9180 §7.1.2 says
     * SerializePrivateKey MUST clamp, which BC does, so the serialised form is the clamped one.
     */
    private static void assertKeys(HPKE hpke, AsymmetricCipherKeyPair pair, JsonNode v, String sk, String pk) {
        byte[] scalar = Vectors.hex(v, sk);
        assertArrayEquals(scalar, ((X25519PrivateKeyParameters) pair.getPrivate()).getEncoded(), sk);
        assertArrayEquals(clamp(scalar), hpke.serializePrivateKey(pair.getPrivate()), sk);
        assertArrayEquals(Vectors.hex(v, pk), hpke.serializePublicKey(pair.getPublic()), pk);
    }

    private static byte[] clamp(byte[] scalar) {
        byte[] clamped = scalar.clone();
        clamped[0] &= (byte) 0xf8;
        clamped[31] &= (byte) 0x7f;
        clamped[31] |= (byte) 0x40;
        return clamped;
    }
}
