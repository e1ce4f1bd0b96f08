package org.multiverse.scramble.protocol.vectors;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * A sealed reply opened from the specification, with Bouncy Castle's plain RFC 9180 HPKE and not
 * the suite's {@code ReplySealer}: auth mode (0x02), DHKEM(X25519, HKDF-SHA256) (0x0020),
 * HKDF-SHA256 (0x0001), ChaCha20-Poly1305 (0x0003); {@code info = "scramble-reply-v1:" ‖
 * requestId}, {@code aad = requestId}; the reply is the context's first message (sequence 0).
 */
final class ReplySpec {

    /** The fixed prefix of {@code info}. */
    static final String INFO_LABEL = "scramble-reply-v1:";

    private ReplySpec() {}

    static byte[] info(byte[] requestId) {
        byte[] label = INFO_LABEL.getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[label.length + requestId.length];
        System.arraycopy(label, 0, info, 0, label.length);
        System.arraycopy(requestId, 0, info, label.length, requestId.length);
        return info;
    }

    /** SetupAuthR then Open, with {@code info} and {@code aad} as given. */
    static byte[] open(
            byte[] recipientSecret, byte[] senderPublic, byte[] info, byte[] aad, byte[] enc, byte[] ciphertext)
            throws InvalidCipherTextException {
        X25519PrivateKeyParameters recipient = new X25519PrivateKeyParameters(recipientSecret, 0);
        HPKE hpke = new HPKE(HPKE.mode_auth, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_CHACHA20_POLY1305);
        return hpke.setupAuthR(
                        enc,
                        new AsymmetricCipherKeyPair(recipient.generatePublicKey(), recipient),
                        info,
                        new X25519PublicKeyParameters(senderPublic, 0))
                .open(aad, ciphertext);
    }
}
