package org.multiverse.scramble.protocol.vectors;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.SecureRandomProvider;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.suite.seal.ReplySealer;
import org.multiverse.scramble.suite.seal.SealedReply;

/**
 * Runs the product's own {@link ReplySealer#seal} with a fixed HPKE ephemeral key, so sealed
 * reply vectors are reproducible.
 *
 * <p>Why it works this way: Bouncy Castle's {@code HPKE.setupAuthS} (RFC 9180 auth mode) has no
 * parameter for the ephemeral key (only base mode has one). Its DHKEM draws the ephemeral key
 * from the {@link SecureRandom} that {@link CryptoServicesRegistrar#getSecureRandom()} returns
 * while the {@code HPKE} object is built, which {@code ReplySealer.seal} does on the calling
 * thread. So for the length of one {@code seal} call this class installs a provider that hands
 * the calling thread a source yielding exactly the fixed key (any other draw fails), hands every
 * other thread a fresh {@code SecureRandom}, and then restores Bouncy Castle's default. No
 * product code changes; the seal that runs is the production one, byte for byte.
 *
 * <p>The result is checked: the encapsulated key must be the fixed key's public key, so a Bouncy
 * Castle upgrade that draws the key differently fails here loudly instead of writing different
 * vectors. Test code only.
 */
final class FixedEphemeral {

    /** One seal at a time: the registrar is process-wide. */
    private static final Object LOCK = new Object();

    private FixedEphemeral() {}

    /**
     * {@code ReplySealer.seal(senderStatic, recipientPublic, requestId, plaintext)} with
     * {@code ephemeral} as the HPKE ephemeral private key. {@code ephemeral} must already be
     * clamped (RFC 7748 §5), because Bouncy Castle clamps what it draws.
     */
    static SealedReply seal(
            X25519PrivateKeyParameters senderStatic,
            byte[] recipientPublic,
            byte[] requestId,
            byte[] plaintext,
            byte[] ephemeral) {
        if (!Arrays.equals(ephemeral, clamp(ephemeral))) {
            throw new IllegalArgumentException("the ephemeral key must be given clamped");
        }
        synchronized (LOCK) {
            Thread owner = Thread.currentThread();
            OneKey source = new OneKey(ephemeral);
            CryptoServicesRegistrar.setSecureRandomProvider(new SecureRandomProvider() {
                @Override
                public SecureRandom get() {
                    return Thread.currentThread() == owner ? source : new SecureRandom();
                }
            });
            SealedReply sealed;
            try {
                sealed = ReplySealer.seal(senderStatic, recipientPublic, requestId, plaintext);
            } finally {
                CryptoServicesRegistrar.setSecureRandom(null); // back to Bouncy Castle's default
            }
            byte[] expectedEnc = new X25519PrivateKeyParameters(ephemeral, 0)
                    .generatePublicKey()
                    .getEncoded();
            if (!source.used || !Arrays.equals(expectedEnc, sealed.enc())) {
                throw new IllegalStateException("ReplySealer did not use the fixed ephemeral key: has "
                        + "Bouncy Castle changed how HPKE draws it?");
            }
            return sealed;
        }
    }

    /** RFC 7748 §5 clamping of an X25519 scalar. */
    static byte[] clamp(byte[] scalar) {
        byte[] k = scalar.clone();
        k[0] &= (byte) 0xf8;
        k[31] &= (byte) 0x7f;
        k[31] |= (byte) 0x40;
        return k;
    }

    /** Yields the key once, for a 32-byte draw; anything else is a change this class must hear of. */
    private static final class OneKey extends SecureRandom {
        private static final long serialVersionUID = 1L;

        private final byte[] key;
        private boolean used;

        OneKey(byte[] key) {
            this.key = key.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (used || bytes.length != key.length) {
                throw new IllegalStateException("unexpected draw of " + bytes.length + " bytes while sealing");
            }
            System.arraycopy(key, 0, bytes, 0, key.length);
            used = true;
        }

        @Override
        public void setSeed(long seed) {
            // Nothing to seed.
        }
    }
}
