package org.multiverse.scramble.protocol.vectors;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.multiverse.scramble.protocol.v1.Envelope;

/**
 * Hand-made protobuf encodings of an envelope that protobuf's own serializer never writes: fields
 * out of order, a varint with a redundant continuation byte, a string field holding bytes that
 * are not UTF-8, extra or repeated fields. The signing bytes are computed from field values, so
 * most of these still carry a valid signature: they show what the codec, not the signature,
 * must decide.
 */
final class EnvelopeWire {

    /** Protobuf field numbers of {@code Envelope} (wire.proto). */
    static final int PROTOCOL_VERSION = 1;

    static final int SESSION_CERTIFICATE = 2;
    static final int TARGET_AGENT = 3;
    static final int SEQUENCE = 4;
    static final int REQUEST_ID = 6;
    static final int SIGNATURE = 8;
    /** The first field number no schema version has used or reserved. */
    static final int FIRST_UNKNOWN_FIELD = 16;
    /** The first number {@code reserved 10 to 15} keeps for future fields. */
    static final int FIRST_RESERVED_FIELD = 10;

    private EnvelopeWire() {}

    /** One encoded field. */
    private record Field(int number, byte[] bytes) {}

    /** The envelope's fields, highest number first. */
    static byte[] reversed(Envelope e) {
        List<Field> fields = fields(e, false, null);
        Collections.reverse(fields);
        return join(fields);
    }

    /** Protobuf's order, with {@code sequence} as a varint one byte longer than needed. */
    static byte[] paddedSequence(Envelope e) {
        return join(fields(e, true, null));
    }

    /** Protobuf's order, with {@code target_agent} holding {@code raw} (any bytes). */
    static byte[] rawTarget(Envelope e, byte[] raw) {
        return join(fields(e, false, raw));
    }

    /** Protobuf's order, with {@code sequence} sent as a length-delimited field (wire type 2). */
    static byte[] sequenceAsBytes(Envelope e) {
        List<Field> fields = fields(e, false, null);
        fields.replaceAll(f -> f.number() == SEQUENCE
                ? new Field(SEQUENCE, write(out -> out.writeByteArray(SEQUENCE, new byte[] {1})))
                : f);
        return join(fields);
    }

    static byte[] varintField(int number, long value) {
        return write(out -> out.writeUInt64(number, value));
    }

    static byte[] bytesField(int number, byte[] value) {
        return write(out -> out.writeByteArray(number, value));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<Field> fields(Envelope e, boolean padSequence, byte[] rawTarget) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field(1, write(out -> out.writeUInt32(1, e.getProtocolVersion()))));
        fields.add(new Field(2, write(out -> out.writeBytes(2, e.getSessionCertificate()))));
        fields.add(new Field(
                3,
                rawTarget != null ? bytesField(3, rawTarget) : write(out -> out.writeString(3, e.getTargetAgent()))));
        fields.add(new Field(
                4, padSequence ? paddedVarint(4, e.getSequence()) : write(out -> out.writeUInt64(4, e.getSequence()))));
        fields.add(new Field(5, write(out -> out.writeInt64(5, e.getTimestampMillis()))));
        fields.add(new Field(6, write(out -> out.writeBytes(6, e.getRequestId()))));
        fields.add(new Field(7, write(out -> out.writeBytes(7, e.getCommand()))));
        fields.add(new Field(8, write(out -> out.writeBytes(8, e.getSignature()))));
        if (!e.getRoute().isEmpty()) {
            fields.add(new Field(9, write(out -> out.writeString(9, e.getRoute()))));
        }
        return fields;
    }

    /** Tag, then the value's varint with its last byte given a continuation bit and a 0x00 after. */
    private static byte[] paddedVarint(int number, long value) {
        byte[] minimal = write(out -> out.writeUInt64NoTag(value));
        byte[] padded = Arrays.copyOf(minimal, minimal.length + 1);
        padded[minimal.length - 1] |= (byte) 0x80;
        return concat(write(out -> out.writeTag(number, 0)), padded);
    }

    private static byte[] join(List<Field> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach(f -> out.writeBytes(f.bytes()));
        return out.toByteArray();
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            writer.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
