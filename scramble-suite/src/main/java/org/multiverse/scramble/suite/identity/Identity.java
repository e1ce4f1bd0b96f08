package org.multiverse.scramble.suite.identity;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.suite.sign.SignatureContext;
import org.multiverse.scramble.suite.sign.Signatures;

/**
 * A secret identity made from one 32-byte seed: a person's root Scramble ID, or
 * an agent's identity (same text form).
 *
 * <p>The Ed25519 key pair uses the seed directly (RFC 8032). The X25519 key pair,
 * for sealed replies, is derived from the seed with HKDF-SHA256 under its own
 * label, so the two algorithms never share key bytes and both are restored from
 * the same recovery words.
 *
 * <p>{@link #destroy()} zeroes the seed and makes every later use throw
 * {@link IllegalStateException}. Bouncy Castle's key objects keep private copies
 * that cannot be wiped; destroying drops our references to them.
 * Thread-safe.
 */
public final class Identity implements AutoCloseable {

    /** Length of the secret seed. */
    public static final int SEED_LENGTH = 32;

    /** HKDF info for the X25519 key: changing it changes every derived reply key. */
    private static final byte[] X25519_LABEL =
            "scramble/v1/identity/x25519-from-seed".getBytes(StandardCharsets.US_ASCII);

    private final byte[] seed;
    private final ScrambleId id;
    private final byte[] x25519Public;
    private Ed25519PrivateKeyParameters signingKey;
    private X25519PrivateKeyParameters agreementKey;
    private boolean destroyed;

    private Identity(byte[] seed) {
        this.seed = seed;
        this.signingKey = new Ed25519PrivateKeyParameters(seed, 0);
        this.id = ScrambleId.of(signingKey.generatePublicKey().getEncoded());
        byte[] x25519Secret = deriveX25519Secret(seed);
        try {
            this.agreementKey = new X25519PrivateKeyParameters(x25519Secret, 0);
        } finally {
            Arrays.fill(x25519Secret, (byte) 0);
        }
        this.x25519Public = agreementKey.generatePublicKey().getEncoded();
    }

    /** A fresh identity from {@code random}. */
    public static Identity generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] seed = new byte[SEED_LENGTH];
        random.nextBytes(seed);
        return new Identity(seed);
    }

    /**
     * The identity of a 32-byte seed (from a key file or recovery words). The seed
     * is copied; the caller should zero its own array.
     */
    public static Identity fromSeed(byte[] seed32) {
        Objects.requireNonNull(seed32, "seed32");
        if (seed32.length != SEED_LENGTH) {
            throw new IllegalArgumentException("a seed is " + SEED_LENGTH + " bytes, not " + seed32.length);
        }
        return new Identity(seed32.clone());
    }

    /** The public identity. Still available after {@link #destroy()}: it is not secret. */
    public ScrambleId id() {
        return id;
    }

    /** The 32-byte X25519 public key replies are sealed to. */
    public byte[] x25519PublicKey() {
        return x25519Public.clone();
    }

    /** The X25519 private key, for HPKE. */
    public synchronized X25519PrivateKeyParameters x25519Private() {
        checkAlive();
        return agreementKey;
    }

    /** Signs {@code message} under {@code context} (see {@link Signatures}). */
    public synchronized byte[] sign(SignatureContext context, byte[] message) {
        checkAlive();
        return Signatures.sign(signingKey, context, message);
    }

    /** A copy of the secret seed, for key files and recovery words: zero it after use. */
    public synchronized byte[] seedCopy() {
        checkAlive();
        return seed.clone();
    }

    /** Zeroes the seed and forgets the keys; idempotent. */
    public synchronized void destroy() {
        Arrays.fill(seed, (byte) 0);
        signingKey = null;
        agreementKey = null;
        destroyed = true;
    }

    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "Identity[" + id.shortForm() + "]";
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("identity " + id.shortForm() + " has been destroyed");
        }
    }

    private static byte[] deriveX25519Secret(byte[] seed) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(seed, null, X25519_LABEL));
        byte[] out = new byte[32];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }
}
