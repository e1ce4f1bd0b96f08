package org.multiverse.scramble.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.DynamicTest;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameType;

/**
 * Checks {@code frames.json} from the file alone: each encoded frame is what {@code FrameEncoder}
 * writes and what the layout of FRAMES.md gives, CRCs computed here; every input decodes, whole
 * and a byte at a time, to exactly the listed frames and counters, and a clean stream is its
 * frames encoded again; the encoder's limit refuses exactly what is listed.
 */
final class FrameChecks {

    private static final byte[] MAGIC = {(byte) 0xf5, 0x53, 0x43, 0x52};
    private static final int VERSION = 1;

    private FrameChecks() {}

    static Stream<DynamicTest> tests(JsonNode file) {
        return VectorChecks.each(file, (f, group, test) -> {
            switch (group.get("type").asText()) {
                case "EncodedFrame" -> encoded(test);
                case "DecodedStream" -> decoded(test, VectorJson.bytes(test, "input"));
                default -> limit(test);
            }
        });
    }

    private static void encoded(JsonNode t) {
        FrameType type = FrameType.valueOf(t.get("type").asText());
        assertEquals(type.code(), t.get("typeCode").asInt(), "type code");
        byte[] payload = VectorJson.bytes(t, "payload");
        byte[] frame = VectorJson.bytes(t, "frame");
        assertArrayEquals(frame, FrameEncoder.encode(new Frame(type, payload)), "FrameEncoder");
        byte[] header = ByteBuffer.allocate(10)
                .put(MAGIC)
                .put((byte) VERSION)
                .put((byte) type.code())
                .putInt(payload.length)
                .array();
        byte[] headerCrc = crc(header);
        assertArrayEquals(VectorJson.bytes(t, "headerCrc"), headerCrc, "header CRC-32C");
        byte[] body = cat(header, headerCrc, payload);
        assertArrayEquals(VectorJson.bytes(t, "frameCrc"), crc(body), "frame CRC-32C");
        assertArrayEquals(frame, cat(body, crc(body)), "the layout of FRAMES.md");
        decoded(t, frame);
    }

    private static void decoded(JsonNode t, byte[] input) {
        int max = t.get("maxPayloadBytes").asInt();
        JsonNode expected = t.get("expected");
        assertEquals(expected, VectorJson.normalize(FrameOutcome.whole(input, max)), "fed whole");
        assertEquals(expected, VectorJson.normalize(FrameOutcome.byteByByte(input, max)), "fed a byte at a time");
        if (VectorChecks.valid(t)) {
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            for (JsonNode f : expected.get("frames")) {
                again.writeBytes(FrameEncoder.encode(
                        new Frame(FrameType.valueOf(f.get("type").asText()), VectorJson.bytes(f, "payload")), max));
            }
            assertArrayEquals(input, again.toByteArray(), "a clean stream is its frames encoded again");
        }
    }

    private static void limit(JsonNode t) {
        boolean lengthOnly = t.has("payloadLength");
        byte[] payload = lengthOnly ? new byte[t.get("payloadLength").asInt()] : VectorJson.bytes(t, "payload");
        assertEquals(
                t.get("expected"),
                VectorJson.normalize(FrameVectors.encodeOutcome(
                        payload, t.get("maxPayloadBytes").asInt(), lengthOnly)));
    }

    private static byte[] crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
