package org.multiverse.scramble.protocol.envelope;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.PortalStart;

/** Hand-made protobuf encodings and a valid sample envelope for tests. */
final class WireBytes {
    private WireBytes() {}

    static Envelope validEnvelope() {
        byte[] certificate = new byte[186];
        Arrays.fill(certificate, (byte) 0xCE);
        byte[] requestId = new byte[16];
        Arrays.fill(requestId, (byte) 0x11);
        byte[] signature = new byte[64];
        Arrays.fill(signature, (byte) 0x5E);
        Command command = Command.newBuilder()
                .setPortalStart(PortalStart.newBuilder().setName("work"))
                .build();
        return Envelope.newBuilder()
                .setProtocolVersion(1)
                .setSessionCertificate(ByteString.copyFrom(certificate))
                .setTargetAgent("scr1" + "a".repeat(56))
                .setSequence(7)
                .setTimestampMillis(1_750_000_000_000L)
                .setRequestId(ByteString.copyFrom(requestId))
                .setCommand(command.toByteString())
                .setSignature(ByteString.copyFrom(signature))
                .build();
    }

    /** A length-delimited field: tag, length, value. */
    static byte[] lengthDelimited(int number, byte[] value) {
        return write(out -> out.writeByteArray(number, value));
    }

    static byte[] varint(int number, long value) {
        return write(out -> out.writeUInt64(number, value));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] write(Writer writer) {
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
