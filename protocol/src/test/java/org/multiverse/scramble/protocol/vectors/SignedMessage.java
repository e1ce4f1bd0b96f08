package org.multiverse.scramble.protocol.vectors;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * Domain-separated Ed25519 written out from its specification, independently of the suite's
 * {@code Signatures}: the message given to Ed25519 is {@code len(ctx) ‖ ctx ‖ bytes}, one length
 * byte then the ASCII context string. The files record this message, so an implementation in any
 * language can check a signature with a plain RFC 8032 verifier.
 */
final class SignedMessage {

    private SignedMessage() {}

    /** {@code len(ctx) ‖ ctx ‖ bytes}. */
    static byte[] of(SignatureContext context, byte[] bytes) {
        byte[] ctx = context.text().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[1 + ctx.length + bytes.length];
        out[0] = (byte) ctx.length;
        System.arraycopy(ctx, 0, out, 1, ctx.length);
        System.arraycopy(bytes, 0, out, 1 + ctx.length, bytes.length);
        return out;
    }

    /** Plain RFC 8032 Ed25519 over {@code message}, no context added. */
    static byte[] signRaw(byte[] seed, byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, new Ed25519PrivateKeyParameters(seed, 0));
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** Plain RFC 8032 verification; false for any malformed input. */
    static boolean verifyRaw(byte[] publicKey, byte[] message, byte[] signature) {
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
