package org.multiverse.scramble.protocol.rtos;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The short reference by which commands name a cached session certificate (WIRE.md
 * section 5): the first 8 bytes, big-endian, of SHA-256 over the encoded certificate.
 * The shell computes it too, so it can sign a command before the node has the certificate.
 */
public final class SessionRef {

    private SessionRef() {}

    public static long of(byte[] encodedCertificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(encodedCertificate);
            return ByteBuffer.wrap(digest, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
