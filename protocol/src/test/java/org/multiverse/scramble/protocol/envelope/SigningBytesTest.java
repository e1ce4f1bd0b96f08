package org.multiverse.scramble.protocol.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.multiverse.scramble.protocol.envelope.WireBytes.validEnvelope;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.v1.Envelope;

class SigningBytesTest {

    @Test
    void layoutIsLengthPrefixedFieldsInNumberOrder() {
        byte[] requestId = new byte[16];
        Arrays.fill(requestId, (byte) 0x11);
        Envelope envelope = Envelope.newBuilder()
                .setProtocolVersion(1)
                .setSessionCertificate(ByteString.copyFrom(new byte[] {(byte) 0xAA, (byte) 0xBB}))
                .setTargetAgent("t")
                .setSequence(2)
                .setTimestampMillis(-1)
                .setRequestId(ByteString.copyFrom(requestId))
                .setCommand(ByteString.copyFrom(new byte[] {0x52, 0x00}))
                .setSignature(ByteString.copyFrom(new byte[64]))
                .setRoute("rtos")
                .build();
        String expected = "00000004" + "00000001"
                + "00000002" + "aabb"
                + "00000001" + "74"
                + "00000008" + "0000000000000002"
                + "00000008" + "ffffffffffffffff"
                + "00000010" + "11".repeat(16)
                + "00000002" + "5200"
                + "00000004" + "72746f73";
        assertEquals(expected, HexFormat.of().formatHex(SigningBytes.of(envelope)));
    }

    @Test
    void changingAnySignedFieldChangesTheBytes() {
        Envelope base = validEnvelope();
        Map<String, UnaryOperator<Envelope.Builder>> edits = Map.of(
                "protocol_version", b -> b.setProtocolVersion(2),
                "session_certificate", b -> b.setSessionCertificate(flipLast(b.getSessionCertificate())),
                "target_agent", b -> b.setTargetAgent(b.getTargetAgent() + "x"),
                "sequence", b -> b.setSequence(b.getSequence() + 1),
                "timestamp_millis", b -> b.setTimestampMillis(b.getTimestampMillis() + 1),
                "request_id", b -> b.setRequestId(flipLast(b.getRequestId())),
                "command", b -> b.setCommand(flipLast(b.getCommand())),
                "route", b -> b.setRoute("router"));
        assertEquals(
                Envelope.getDescriptor().getFields().size() - 1,
                edits.size(),
                "every field but signature is covered by this test");
        List<byte[]> all = new ArrayList<>();
        all.add(SigningBytes.of(base));
        for (var edit : edits.entrySet()) {
            byte[] changed =
                    SigningBytes.of(edit.getValue().apply(base.toBuilder()).build());
            for (byte[] other : all) {
                assertFalse(Arrays.equals(other, changed), edit.getKey());
            }
            all.add(changed);
        }
    }

    @Test
    void signatureIsNotSigned() {
        Envelope base = validEnvelope();
        assertArrayEquals(
                SigningBytes.of(base),
                SigningBytes.of(base.toBuilder().clearSignature().build()));
    }

    @Test
    void movingABoundaryBetweenFieldsChangesTheBytes() {
        Envelope base = validEnvelope();
        Envelope a = base.toBuilder()
                .setSessionCertificate(ByteString.copyFromUtf8("xy"))
                .setTargetAgent("z")
                .build();
        Envelope b = base.toBuilder()
                .setSessionCertificate(ByteString.copyFromUtf8("x"))
                .setTargetAgent("yz")
                .build();
        assertFalse(Arrays.equals(SigningBytes.of(a), SigningBytes.of(b)));
    }

    @Test
    void reorderingAndReEncodingTheProtobufDoesNotChangeTheBytes() throws Exception {
        Envelope base = validEnvelope().toBuilder().setRoute("router").build();
        // Fields written in reverse order, with non-minimal varints (padded with 0x80 bytes).
        byte[] reordered = WireBytes.write(out -> {
            out.writeString(9, base.getRoute());
            out.writeBytes(8, base.getSignature());
            out.writeBytes(7, base.getCommand());
            out.writeBytes(6, base.getRequestId());
            out.writeTag(5, 0);
            writePaddedVarint(out, base.getTimestampMillis());
            out.writeTag(4, 0);
            writePaddedVarint(out, base.getSequence());
            out.writeString(3, base.getTargetAgent());
            out.writeBytes(2, base.getSessionCertificate());
            out.writeTag(1, 0);
            writePaddedVarint(out, base.getProtocolVersion());
        });
        assertFalse(Arrays.equals(base.toByteArray(), reordered));
        Envelope parsed = EnvelopeCodec.parseEnvelope(reordered);
        assertArrayEquals(SigningBytes.of(base), SigningBytes.of(parsed));
    }

    /** A varint with a redundant continuation byte, which protobuf accepts. */
    private static void writePaddedVarint(com.google.protobuf.CodedOutputStream out, long value)
            throws java.io.IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeRawByte((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeRawByte((byte) (value | 0x80));
        out.writeRawByte((byte) 0x00);
    }

    private static ByteString flipLast(ByteString value) {
        byte[] bytes = value.toByteArray();
        bytes[bytes.length - 1] ^= 1;
        return ByteString.copyFrom(bytes);
    }
}
