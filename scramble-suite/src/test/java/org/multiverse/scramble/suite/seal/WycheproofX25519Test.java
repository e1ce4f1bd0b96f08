package org.multiverse.scramble.suite.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof XDH (X25519) vectors.
 *
 * <p>How the flags are treated:
 *
 * <ul>
 *   <li>{@code valid}: the agreement gives exactly {@code shared}.
 *   <li>{@code acceptable} with a non-zero {@code shared} (Twist, NonCanonicalPublic,
 *       SmallPublicKey, SpecialPublicKey, EdgeCase*): computed as RFC 7748 says (top bit
 *       masked, value reduced mod p) and must equal {@code shared}. Accepting them is safe
 *       here because the HPKE key schedule hashes the DH output together with both
 *       encapsulated and static public keys.
 *   <li>{@code ZeroSharedSecret} (all also LowOrderPublic): the suite REFUSES them, as
 *       RFC 9180 §7.1.4 requires. Bouncy Castle's agreement throws; the reply and stream
 *       sealers turn that into {@link IllegalArgumentException} for a caller-supplied
 *       recipient key and {@link SealException} for attacker-supplied {@code enc} or sender
 *       keys.
 * </ul>
 *
 * <p>The agreement runs through Bouncy Castle's {@link X25519Agreement}, the primitive its
 * DHKEM (and so {@link ReplySealer}) uses; the suite exposes no raw X25519 of its own.
 */
class WycheproofX25519Test {
    private static final List<JsonNode> TESTS = Vectors.wycheproofTests("x25519_test.json");
    private static final byte[] ZERO = new byte[32];
    private static final byte[] REQUEST_ID = "wycheproof-x25519".getBytes();

    @Test
    void everyNonZeroCaseGivesTheVectorsSharedSecret() {
        int checked = 0;
        for (JsonNode test : TESTS) {
            byte[] shared = Vectors.hex(test, "shared");
            if (Arrays.equals(shared, ZERO)) {
                continue;
            }
            assertTrue(
                    test.get("result").asText().equals("valid")
                            || test.get("result").asText().equals("acceptable"),
                    Vectors.describe(test));
            assertArrayEquals(shared, agree(test), Vectors.describe(test));
            checked++;
        }
        assertEquals(264 + 223, checked, "valid + non-zero acceptable cases");
    }

    @Test
    void everyZeroSharedSecretCaseIsRefusedByTheAgreementAndTheSealers() throws Exception {
        X25519PrivateKeyParameters agent = key(7);
        X25519PrivateKeyParameters session = key(8);
        SealedReply genuine =
                ReplySealer.seal(agent, session.generatePublicKey().getEncoded(), REQUEST_ID, new byte[3]);
        int refused = 0;
        for (JsonNode test : TESTS) {
            if (!Arrays.equals(Vectors.hex(test, "shared"), ZERO)) {
                continue;
            }
            String what = Vectors.describe(test);
            assertTrue(Vectors.hasFlag(test, "ZeroSharedSecret"), what);
            assertTrue(Vectors.hasFlag(test, "LowOrderPublic"), what);
            assertThrows(IllegalStateException.class, () -> agree(test), what);

            X25519PrivateKeyParameters priv = new X25519PrivateKeyParameters(Vectors.hex(test, "private"));
            byte[] lowOrder = Vectors.hex(test, "public");
            // Low-order enc from an attacker.
            assertThrows(
                    SealException.class,
                    () -> ReplySealer.open(
                            priv, agent.generatePublicKey().getEncoded(), REQUEST_ID, lowOrder, genuine.ciphertext()),
                    what);
            assertThrows(
                    SealException.class,
                    () -> StreamOpener.create(priv, agent.generatePublicKey().getEncoded(), REQUEST_ID, lowOrder),
                    what);
            // Low-order "agent" key claimed for a genuine reply.
            assertThrows(
                    SealException.class,
                    () -> ReplySealer.open(session, lowOrder, REQUEST_ID, genuine.enc(), genuine.ciphertext()),
                    what);
            // Low-order recipient key given to the sealers.
            assertThrows(
                    IllegalArgumentException.class,
                    () -> ReplySealer.seal(priv, lowOrder, REQUEST_ID, new byte[1]),
                    what);
            assertThrows(IllegalArgumentException.class, () -> StreamSealer.create(priv, lowOrder, REQUEST_ID), what);
            refused++;
        }
        assertEquals(31, refused, "ZeroSharedSecret cases");
    }

    @Test
    void everyVectorPublicKeyAsAForgedEncGivesOnlySealException() {
        X25519PrivateKeyParameters agent = key(9);
        byte[] agentPublic = agent.generatePublicKey().getEncoded();
        for (JsonNode test : TESTS) {
            X25519PrivateKeyParameters priv = new X25519PrivateKeyParameters(Vectors.hex(test, "private"));
            byte[] forgedEnc = Vectors.hex(test, "public");
            assertThrows(
                    SealException.class,
                    () -> ReplySealer.open(priv, agentPublic, REQUEST_ID, forgedEnc, new byte[40]),
                    Vectors.describe(test));
        }
    }

    private static byte[] agree(JsonNode test) {
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(new X25519PrivateKeyParameters(Vectors.hex(test, "private")));
        byte[] shared = new byte[agreement.getAgreementSize()];
        agreement.calculateAgreement(new X25519PublicKeyParameters(Vectors.hex(test, "public")), shared, 0);
        return shared;
    }

    private static X25519PrivateKeyParameters key(int fill) {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) fill);
        return new X25519PrivateKeyParameters(raw);
    }
}
