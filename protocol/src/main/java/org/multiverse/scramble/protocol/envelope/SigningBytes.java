package org.multiverse.scramble.protocol.envelope;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.multiverse.scramble.protocol.v1.Envelope;

/**
 * The canonical bytes an envelope's Ed25519 signature covers.
 *
 * <p>Protobuf encoding is not canonical (field order, duplicate fields, varint widths and
 * unknown fields may differ between two encodings of the same message), so the signature
 * never covers the protobuf bytes. It covers every field except {@code signature}, in
 * field-number order, each as a 4-byte big-endian length followed by the value:
 *
 * <pre>
 *  1 protocol_version     uint32, 4 bytes big-endian
 *  2 session_certificate  the bytes
 *  3 target_agent         UTF-8
 *  4 sequence             uint64, 8 bytes big-endian
 *  5 timestamp_millis     int64, 8 bytes big-endian (two's complement)
 *  6 request_id           the bytes
 *  7 command              the bytes (the serialized Command as sent)
 *  9 route                UTF-8
 * </pre>
 *
 * <p>The length prefix keeps field boundaries unambiguous (moving a byte from one field to
 * the next changes the result). The Scramble Suite's signer prepends its fixed ASCII
 * context string, which separates these signatures from every other use of the key.
 */
public final class SigningBytes {

    private static final int LENGTH_PREFIX_BYTES = 4;

    private SigningBytes() {}

    /**
     * The signing bytes of an envelope; its {@code signature} field is ignored.
     *
     * @param envelope the envelope, signed or not yet signed
     * @return a new array
     */
    public static byte[] of(Envelope envelope) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256
                + envelope.getSessionCertificate().size()
                + envelope.getCommand().size());
        putField(out, toBytes(envelope.getProtocolVersion(), Integer.BYTES));
        putField(out, envelope.getSessionCertificate());
        putField(out, envelope.getTargetAgent());
        putField(out, toBytes(envelope.getSequence(), Long.BYTES));
        putField(out, toBytes(envelope.getTimestampMillis(), Long.BYTES));
        putField(out, envelope.getRequestId());
        putField(out, envelope.getCommand());
        putField(out, envelope.getRoute());
        return out.toByteArray();
    }

    private static byte[] toBytes(long value, int width) {
        byte[] bytes = new byte[width];
        for (int i = width - 1; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
        return bytes;
    }

    private static void putField(ByteArrayOutputStream out, String value) {
        putField(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void putField(ByteArrayOutputStream out, ByteString value) {
        putField(out, value.toByteArray());
    }

    private static void putField(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(toBytes(value.length, LENGTH_PREFIX_BYTES));
        out.writeBytes(value);
    }
}
