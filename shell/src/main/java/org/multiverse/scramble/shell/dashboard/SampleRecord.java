package org.multiverse.scramble.shell.dashboard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One sealed telemetry sample as the RTOS bridge relays it in an {@code rtos.stream.samples}
 * event (rtos-bridge {@code WIRE.md} section 7): the clear header the bridge can read, and the
 * 20 bytes only the person's session key opens.
 *
 * <pre>
 *   record    = sequence u32 BE ‖ node_time_micros u64 BE ‖ last u8 ‖ sealed (20 bytes)
 *   aad       = stream_id u32 BE ‖ sequence u32 BE ‖ node_time_micros u64 BE ‖ last u8
 *   plaintext = the value as float32 little-endian (4 bytes; sealed = 4 + 16-byte tag)
 * </pre>
 *
 * @param sequence       the sample's number in its stream (unsigned; the node counts from 0)
 * @param nodeTimeMicros when the node took it, on the node's clock
 * @param last           whether the node marked it as the stream's final sample
 * @param sealed         ChaCha20-Poly1305 ciphertext and tag
 */
record SampleRecord(int sequence, long nodeTimeMicros, boolean last, byte[] sealed) {

    /** Sealed bytes per sample: a 4-byte float and the 16-byte Poly1305 tag. */
    static final int SEALED_BYTES = 4 + 16;
    /** Bytes per record in the attribute. */
    static final int RECORD_BYTES = 4 + 8 + 1 + SEALED_BYTES;
    /** Associated data bytes. */
    static final int AAD_BYTES = 4 + 4 + 8 + 1;
    /**
     * Most records one event may carry: the bridge sends 50; a second of a 1 kHz stream is far
     * beyond that, and a hostile bridge cannot make the dashboard decode megabytes per event.
     */
    static final int MAX_RECORDS = 1000;

    /**
     * Decodes the {@code samples} attribute of an {@code rtos.stream.samples} event.
     *
     * @param base64 the attribute
     * @param count  the event's {@code count} attribute, which must match
     * @throws IllegalArgumentException naming what is wrong: too long, not base64, not whole
     *                                  records, a count that disagrees, a {@code last} byte other than 0 or 1
     */
    static List<SampleRecord> decode(String base64, String count) {
        // Checked before decoding: base64 of MAX_RECORDS records is at most this long.
        if (base64.length() > (MAX_RECORDS * RECORD_BYTES + 2) / 3 * 4) {
            throw new IllegalArgumentException("samples: more than " + MAX_RECORDS + " records");
        }
        int declared;
        try {
            declared = Integer.parseInt(count);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("samples: count is not a number");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("samples: not base64");
        }
        if (bytes.length == 0 || bytes.length % RECORD_BYTES != 0) {
            throw new IllegalArgumentException(
                    "samples: " + bytes.length + " bytes is not whole " + RECORD_BYTES + "-byte records");
        }
        int n = bytes.length / RECORD_BYTES;
        if (declared != n) {
            throw new IllegalArgumentException("samples: count " + declared + " but " + n + " records");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        List<SampleRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int sequence = b.getInt();
            long nodeTime = b.getLong();
            byte last = b.get();
            if (last != 0 && last != 1) {
                throw new IllegalArgumentException("samples: record " + i + " has last byte " + (last & 0xff));
            }
            byte[] sealed = new byte[SEALED_BYTES];
            b.get(sealed);
            records.add(new SampleRecord(sequence, nodeTime, last == 1, sealed));
        }
        return records;
    }

    /** The associated data this sample was sealed with: binds the clear header to the value. */
    byte[] aad(int streamId) {
        return ByteBuffer.allocate(AAD_BYTES)
                .putInt(streamId)
                .putInt(sequence)
                .putLong(nodeTimeMicros)
                .put((byte) (last ? 1 : 0))
                .array();
    }

    /** The sample's value from its opened plaintext. */
    static double value(byte[] plaintext) {
        if (plaintext.length != 4) {
            throw new IllegalArgumentException("a sample plaintext is 4 bytes, not " + plaintext.length);
        }
        return ByteBuffer.wrap(plaintext).order(ByteOrder.LITTLE_ENDIAN).getFloat();
    }
}
