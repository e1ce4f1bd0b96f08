package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionCertificate;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * The session certificate encoding written out from its specification, independently of
 * {@code SessionCertificate}, so the generator can make certificates the product refuses to
 * issue and the checks can confirm every field from the bytes alone. Big-endian:
 *
 * <pre>
 *   version 1 ‖ root key 32 ‖ session Ed25519 key 32 ‖ session X25519 key 32 ‖
 *   notBefore 8 ‖ notAfter 8 ‖ scope 1 ‖ serial 8            (122 signed bytes)
 *   ‖ root's signature 64, context "scramble/v1/session-certificate"
 * </pre>
 *
 * @param version the format version (1 is the only one)
 * @param rootKey the root's Ed25519 public key
 * @param signingKey the session's Ed25519 public key
 * @param x25519Key the session's X25519 public key
 * @param notBeforeMillis epoch millis
 * @param notAfterMillis epoch millis
 * @param scopeCode 1 = all, 2 = read-only
 * @param serial the serial
 */
record CertificateLayout(
        int version,
        byte[] rootKey,
        byte[] signingKey,
        byte[] x25519Key,
        long notBeforeMillis,
        long notAfterMillis,
        int scopeCode,
        long serial) {

    /** Length of the signed part. */
    static final int SIGNED_BYTES = 122;
    /** Length of a whole certificate. */
    static final int ENCODED_BYTES = SIGNED_BYTES + 64;
    /** Scope codes: 1 for {@code all}, 2 for {@code read-only}. */
    static final int SCOPE_ALL = 1;

    static final int SCOPE_READ_ONLY = 2;

    /** The layout of an encoded certificate (186 bytes), signature aside. */
    static CertificateLayout read(byte[] encoded) {
        if (encoded.length != ENCODED_BYTES) {
            throw new IllegalArgumentException("a certificate is " + ENCODED_BYTES + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(encoded);
        int version = in.get() & 0xff;
        byte[] root = take(in, 32);
        byte[] signing = take(in, 32);
        byte[] x25519 = take(in, 32);
        return new CertificateLayout(
                version, root, signing, x25519, in.getLong(), in.getLong(), in.get() & 0xff, in.getLong());
    }

    /** The 122 signed bytes. */
    byte[] signedBytes() {
        return ByteBuffer.allocate(SIGNED_BYTES)
                .put((byte) version)
                .put(rootKey)
                .put(signingKey)
                .put(x25519Key)
                .putLong(notBeforeMillis)
                .putLong(notAfterMillis)
                .put((byte) scopeCode)
                .putLong(serial)
                .array();
    }

    /** The Ed25519 message: context prefix and the signed bytes. */
    byte[] ed25519Message() {
        return SignedMessage.of(SignatureContext.SESSION_CERTIFICATE, signedBytes());
    }

    /** Signed bytes and {@code signature}. */
    byte[] encode(byte[] signature) {
        byte[] out = Arrays.copyOf(signedBytes(), ENCODED_BYTES);
        System.arraycopy(signature, 0, out, SIGNED_BYTES, signature.length);
        return out;
    }

    /** Signed correctly by the root with {@code seed}. */
    byte[] signedBy(byte[] seed) {
        return encode(SignedMessage.signRaw(seed, ed25519Message()));
    }

    CertificateLayout withVersion(int v) {
        return new CertificateLayout(
                v, rootKey, signingKey, x25519Key, notBeforeMillis, notAfterMillis, scopeCode, serial);
    }

    CertificateLayout withRootKey(byte[] k) {
        return new CertificateLayout(
                version, k, signingKey, x25519Key, notBeforeMillis, notAfterMillis, scopeCode, serial);
    }

    CertificateLayout withSigningKey(byte[] k) {
        return new CertificateLayout(
                version, rootKey, k, x25519Key, notBeforeMillis, notAfterMillis, scopeCode, serial);
    }

    CertificateLayout withX25519Key(byte[] k) {
        return new CertificateLayout(
                version, rootKey, signingKey, k, notBeforeMillis, notAfterMillis, scopeCode, serial);
    }

    CertificateLayout withWindow(long notBefore, long notAfter) {
        return new CertificateLayout(version, rootKey, signingKey, x25519Key, notBefore, notAfter, scopeCode, serial);
    }

    CertificateLayout withScopeCode(int code) {
        return new CertificateLayout(
                version, rootKey, signingKey, x25519Key, notBeforeMillis, notAfterMillis, code, serial);
    }

    /** The fields as the files show them. */
    ObjectNode describe() {
        ObjectNode node = VectorJson.object();
        node.put("version", version);
        node.put("rootKey", VectorJson.hex(rootKey));
        node.put("sessionSigningKey", VectorJson.hex(signingKey));
        node.put("sessionX25519Key", VectorJson.hex(x25519Key));
        node.put("notBeforeMillis", notBeforeMillis);
        node.put("notAfterMillis", notAfterMillis);
        node.put("scopeCode", scopeCode);
        node.put("serial", serial);
        return node;
    }

    /** The fields a file shows, read back. */
    static CertificateLayout fromJson(JsonNode node) {
        return new CertificateLayout(
                node.get("version").asInt(),
                VectorJson.bytes(node, "rootKey"),
                VectorJson.bytes(node, "sessionSigningKey"),
                VectorJson.bytes(node, "sessionX25519Key"),
                node.get("notBeforeMillis").asLong(),
                node.get("notAfterMillis").asLong(),
                node.get("scopeCode").asInt(),
                node.get("serial").asLong());
    }

    /** Whether the product's decoding agrees with this layout, field by field. */
    boolean matches(SessionCertificate certificate) {
        return Arrays.equals(rootKey, certificate.root().publicKey())
                && Arrays.equals(signingKey, certificate.sessionSigningKey())
                && Arrays.equals(x25519Key, certificate.sessionX25519Key())
                && notBeforeMillis == certificate.notBeforeMillis()
                && notAfterMillis == certificate.notAfterMillis()
                && scopeCode == (certificate.scope() == Scope.ALL ? SCOPE_ALL : SCOPE_READ_ONLY)
                && serial == certificate.serial();
    }

    private static byte[] take(ByteBuffer in, int n) {
        byte[] out = new byte[n];
        in.get(out);
        return out;
    }
}
