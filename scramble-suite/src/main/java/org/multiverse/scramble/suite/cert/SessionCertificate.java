package org.multiverse.scramble.suite.cert;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.multiverse.scramble.suite.cert.CertificateException.Reason;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.sign.SignatureContext;
import org.multiverse.scramble.suite.sign.Signatures;

/**
 * A root-signed statement that a session key pair speaks for a person for a
 * time window and a scope.
 *
 * <p>Canonical binary encoding, fixed length ({@value #ENCODED_LENGTH} bytes), all
 * integers big-endian:
 * <pre>
 *   version        1   (= 1)
 *   root key      32   Ed25519 public key of the root Scramble ID
 *   session key   32   Ed25519 public key that signs commands
 *   session x25519 32  X25519 public key replies are sealed to
 *   notBefore      8   epoch millis
 *   notAfter       8   epoch millis, &gt; notBefore
 *   scope          1   {@link Scope} code
 *   serial         8   random
 *   signature     64   root's signature over the first 122 bytes, context SESSION_CERTIFICATE
 * </pre>
 * {@link #decode} checks structure only; {@link CertificateVerifier} checks the
 * signature, the window, the root and revocation.
 */
public final class SessionCertificate {

    /** Encoding version written and accepted. */
    static final byte VERSION = 1;

    static final int KEY_LENGTH = 32;
    /** Length of the signed part. */
    static final int BODY_LENGTH = 1 + 3 * KEY_LENGTH + 8 + 8 + 1 + 8;
    /** Length of a whole encoded certificate. */
    public static final int ENCODED_LENGTH = BODY_LENGTH + Signatures.SIGNATURE_LENGTH;
    /** Bytes of SHA-256(session key) shown by {@link #sessionIdShort()}: 64 bits, plenty to tell sessions apart in a log. */
    static final int SHORT_ID_BYTES = 8;

    private final ScrambleId root;
    private final byte[] sessionSigningKey;
    private final byte[] sessionX25519Key;
    private final long notBeforeMillis;
    private final long notAfterMillis;
    private final Scope scope;
    private final long serial;
    private final byte[] rootSignature;

    private SessionCertificate(
            ScrambleId root,
            byte[] sessionSigningKey,
            byte[] sessionX25519Key,
            long notBeforeMillis,
            long notAfterMillis,
            Scope scope,
            long serial,
            byte[] rootSignature) {
        this.root = root;
        this.sessionSigningKey = sessionSigningKey;
        this.sessionX25519Key = sessionX25519Key;
        this.notBeforeMillis = notBeforeMillis;
        this.notAfterMillis = notAfterMillis;
        this.scope = scope;
        this.serial = serial;
        this.rootSignature = rootSignature;
    }

    /** Signs a new certificate with the root identity. */
    static SessionCertificate issue(
            Identity root,
            byte[] sessionSigningKey,
            byte[] sessionX25519Key,
            long notBeforeMillis,
            long notAfterMillis,
            Scope scope,
            long serial) {
        Objects.requireNonNull(scope, "scope");
        if (sessionSigningKey.length != KEY_LENGTH || sessionX25519Key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("session keys must be 32 bytes");
        }
        if (notAfterMillis <= notBeforeMillis) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
        SessionCertificate unsigned = new SessionCertificate(
                root.id(),
                sessionSigningKey.clone(),
                sessionX25519Key.clone(),
                notBeforeMillis,
                notAfterMillis,
                scope,
                serial,
                null);
        byte[] signature = root.sign(SignatureContext.SESSION_CERTIFICATE, unsigned.body());
        return new SessionCertificate(
                unsigned.root,
                unsigned.sessionSigningKey,
                unsigned.sessionX25519Key,
                notBeforeMillis,
                notAfterMillis,
                scope,
                serial,
                signature);
    }

    /**
     * Parses the canonical encoding. Does not check the signature or the time
     * window: pass the result to a {@link CertificateVerifier}.
     *
     * @throws CertificateException with reason MALFORMED for anything but exactly
     *         one well-formed certificate
     */
    public static SessionCertificate decode(byte[] encoded) throws CertificateException {
        if (encoded == null) {
            throw new CertificateException(Reason.MALFORMED, "no certificate");
        }
        if (encoded.length < ENCODED_LENGTH) {
            throw new CertificateException(
                    Reason.MALFORMED,
                    "truncated session certificate: " + encoded.length + " bytes, expected " + ENCODED_LENGTH);
        }
        if (encoded.length > ENCODED_LENGTH) {
            throw new CertificateException(
                    Reason.MALFORMED,
                    "oversized session certificate: " + encoded.length + " bytes, expected " + ENCODED_LENGTH);
        }
        ByteBuffer in = ByteBuffer.wrap(encoded);
        byte version = in.get();
        if (version != VERSION) {
            throw new CertificateException(Reason.MALFORMED, "unknown session certificate version " + (version & 0xff));
        }
        byte[] rootKey = take(in, KEY_LENGTH);
        byte[] signingKey = take(in, KEY_LENGTH);
        byte[] x25519Key = take(in, KEY_LENGTH);
        long notBefore = in.getLong();
        long notAfter = in.getLong();
        byte scopeCode = in.get();
        long serial = in.getLong();
        byte[] signature = take(in, Signatures.SIGNATURE_LENGTH);

        ScrambleId root;
        try {
            root = ScrambleId.of(rootKey);
        } catch (IllegalArgumentException e) {
            throw new CertificateException(Reason.MALFORMED, "root key: " + e.getMessage());
        }
        try {
            ScrambleId.of(signingKey);
        } catch (IllegalArgumentException e) {
            throw new CertificateException(Reason.MALFORMED, "session signing key: " + e.getMessage());
        }
        if (isAllZero(x25519Key)) {
            throw new CertificateException(Reason.MALFORMED, "session X25519 key is all zeros");
        }
        if (notAfter <= notBefore) {
            throw new CertificateException(Reason.MALFORMED, "notAfter is not after notBefore");
        }
        Scope scope = Scope.fromCode(scopeCode);
        if (scope == null) {
            throw new CertificateException(Reason.MALFORMED, "unknown scope code " + (scopeCode & 0xff));
        }
        return new SessionCertificate(root, signingKey, x25519Key, notBefore, notAfter, scope, serial, signature);
    }

    /** The canonical encoding ({@value #ENCODED_LENGTH} bytes). */
    public byte[] encode() {
        byte[] body = body();
        byte[] out = Arrays.copyOf(body, ENCODED_LENGTH);
        System.arraycopy(rootSignature, 0, out, BODY_LENGTH, rootSignature.length);
        return out;
    }

    /** The signed bytes: everything but the signature. */
    byte[] body() {
        ByteBuffer out = ByteBuffer.allocate(BODY_LENGTH);
        out.put(VERSION);
        out.put(root.publicKey());
        out.put(sessionSigningKey);
        out.put(sessionX25519Key);
        out.putLong(notBeforeMillis);
        out.putLong(notAfterMillis);
        out.put(scope.code());
        out.putLong(serial);
        return out.array();
    }

    /** True if the root's signature over this certificate verifies. */
    boolean signatureValid() {
        return Signatures.verify(root.publicKey(), SignatureContext.SESSION_CERTIFICATE, body(), rootSignature);
    }

    /**
     * Verifies a signature made by this certificate's session key. Does not check
     * the certificate itself: do that first with a {@link CertificateVerifier}.
     */
    public boolean verifySessionSignature(SignatureContext context, byte[] message, byte[] signature) {
        return Signatures.verify(sessionSigningKey, context, message, signature);
    }

    public ScrambleId root() {
        return root;
    }

    /** Copy of the session's Ed25519 public key. */
    public byte[] sessionSigningKey() {
        return sessionSigningKey.clone();
    }

    /** Copy of the session's X25519 public key (replies are sealed to it). */
    public byte[] sessionX25519Key() {
        return sessionX25519Key.clone();
    }

    public long notBeforeMillis() {
        return notBeforeMillis;
    }

    public long notAfterMillis() {
        return notAfterMillis;
    }

    public Scope scope() {
        return scope;
    }

    public long serial() {
        return serial;
    }

    /** Copy of the root's signature. */
    public byte[] rootSignature() {
        return rootSignature.clone();
    }

    /** 16 hex characters of SHA-256(session Ed25519 key), for audit logs and prompts. */
    public String sessionIdShort() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionSigningKey);
            return HexFormat.of().formatHex(digest, 0, SHORT_ID_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionCertificate other && Arrays.equals(encode(), other.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "SessionCertificate[root=" + root.shortForm() + ", session=" + sessionIdShort() + ", scope=" + scope
                + ", notBefore=" + notBeforeMillis + ", notAfter=" + notAfterMillis + "]";
    }

    private static byte[] take(ByteBuffer in, int n) {
        byte[] out = new byte[n];
        in.get(out);
        return out;
    }

    private static boolean isAllZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }
}
