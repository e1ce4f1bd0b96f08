package org.multiverse.scramble.suite.cert;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.multiverse.scramble.suite.cert.CertificateException.Reason;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.sign.SignatureContext;
import org.multiverse.scramble.suite.sign.Signatures;

/**
 * A root's signed statement "every session I certified with notBefore earlier
 * than T is revoked". Used after a session key may have leaked: the person
 * unlocks again (a newer session) and revokes everything older.
 *
 * <p>Encoding, fixed {@value #ENCODED_LENGTH} bytes, big-endian:
 * {@code version(1)=1 ‖ root key(32) ‖ issuedBefore millis(8) ‖ signature(64)}, the
 * signature covering the first 41 bytes under context REVOCATION.
 */
public final class RevocationStatement {

    static final byte VERSION = 1;
    static final int BODY_LENGTH = 1 + 32 + 8;
    /** Length of an encoded statement. */
    public static final int ENCODED_LENGTH = BODY_LENGTH + Signatures.SIGNATURE_LENGTH;

    private final ScrambleId root;
    private final long issuedBeforeMillis;
    private final byte[] signature;

    private RevocationStatement(ScrambleId root, long issuedBeforeMillis, byte[] signature) {
        this.root = root;
        this.issuedBeforeMillis = issuedBeforeMillis;
        this.signature = signature;
    }

    /** Signs a statement revoking every session of {@code root} with notBefore &lt; {@code issuedBeforeMillis}. */
    public static RevocationStatement sign(Identity root, long issuedBeforeMillis) {
        Objects.requireNonNull(root, "root");
        byte[] body = body(root.id(), issuedBeforeMillis);
        return new RevocationStatement(root.id(), issuedBeforeMillis, root.sign(SignatureContext.REVOCATION, body));
    }

    /**
     * Parses an encoded statement (structure only; call {@link #verify()}).
     *
     * @throws CertificateException MALFORMED on wrong length, version or root key
     */
    public static RevocationStatement decode(byte[] encoded) throws CertificateException {
        if (encoded == null || encoded.length != ENCODED_LENGTH) {
            throw new CertificateException(
                    Reason.MALFORMED,
                    "a revocation statement is " + ENCODED_LENGTH + " bytes, not "
                            + (encoded == null ? "missing" : encoded.length));
        }
        ByteBuffer in = ByteBuffer.wrap(encoded);
        byte version = in.get();
        if (version != VERSION) {
            throw new CertificateException(Reason.MALFORMED, "unknown revocation version " + (version & 0xff));
        }
        byte[] rootKey = new byte[32];
        in.get(rootKey);
        long issuedBefore = in.getLong();
        byte[] signature = new byte[Signatures.SIGNATURE_LENGTH];
        in.get(signature);
        try {
            return new RevocationStatement(ScrambleId.of(rootKey), issuedBefore, signature);
        } catch (IllegalArgumentException e) {
            throw new CertificateException(Reason.MALFORMED, "root key: " + e.getMessage());
        }
    }

    /** True if the root's signature verifies. */
    public boolean verify() {
        return Signatures.verify(
                root.publicKey(), SignatureContext.REVOCATION, body(root, issuedBeforeMillis), signature);
    }

    public byte[] encode() {
        byte[] out = Arrays.copyOf(body(root, issuedBeforeMillis), ENCODED_LENGTH);
        System.arraycopy(signature, 0, out, BODY_LENGTH, signature.length);
        return out;
    }

    public ScrambleId root() {
        return root;
    }

    public long issuedBeforeMillis() {
        return issuedBeforeMillis;
    }

    /** True if this statement revokes {@code certificate} (same root, started before the cut-off). */
    public boolean revokes(SessionCertificate certificate) {
        return root.equals(certificate.root()) && certificate.notBeforeMillis() < issuedBeforeMillis;
    }

    @Override
    public String toString() {
        return "RevocationStatement[root=" + root.shortForm() + ", issuedBefore=" + issuedBeforeMillis + "]";
    }

    private static byte[] body(ScrambleId root, long issuedBeforeMillis) {
        return ByteBuffer.allocate(BODY_LENGTH)
                .put(VERSION)
                .put(root.publicKey())
                .putLong(issuedBeforeMillis)
                .array();
    }
}
