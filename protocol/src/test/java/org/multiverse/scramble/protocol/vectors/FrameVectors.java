package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameTooLargeException;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.v1.Event;
import org.multiverse.scramble.protocol.v1.Heartbeat;
import org.multiverse.scramble.protocol.v1.RejectCode;
import org.multiverse.scramble.protocol.v1.Rejected;

/**
 * Writes {@code frames.json}: one encoded frame of each type (by {@code FrameEncoder}), byte
 * streams with garbage, damaged, oversized, torn and unknown frames and what {@code FrameDecoder}
 * makes of them, and the encoder's size limit.
 */
final class FrameVectors {

    static final String FILE = "frames.json";

    /** The decoder's default maximum payload. */
    private static final int MAX = FrameEncoder.DEFAULT_MAX_PAYLOAD;
    /** Header layout offsets (FRAMES.md). */
    private static final int VERSION_OFFSET = 4;

    private static final int TYPE_OFFSET = 5;
    private static final int LENGTH_OFFSET = 6;
    private static final int HEADER_CRC_OFFSET = 10;
    private static final int HEADER_BYTES = 14;
    /** A type code no FrameType has. */
    private static final int UNKNOWN_TYPE = 9;
    /** How many bytes of the envelope frame survive in the torn-frame vectors. */
    private static final int TORN_AT = 20;

    /** FRAMES.md's example: Heartbeat {nonce: 7, sent_millis: 42, ack: true}. */
    private final byte[] heartbeat = heartbeat(7, 42, true);

    private final byte[] heartbeat2 = heartbeat(8, 43, false);
    private final Frame h = new Frame(FrameType.HEARTBEAT, heartbeat);
    private final Frame h2 = new Frame(FrameType.HEARTBEAT, heartbeat2);
    private final byte[] hBytes = FrameEncoder.encode(h);
    private final byte[] h2Bytes = FrameEncoder.encode(h2);
    private final byte[] envelopeFrame = FrameEncoder.encode(
            new Frame(FrameType.ENVELOPE, EnvelopeDraft.of(SessionSpec.MAIN, 1).build()));

    private FrameVectors() {}

    static String generate() {
        return new FrameVectors().file();
    }

    private String file() {
        VectorFile file = new VectorFile(
                "Scramble frame v1",
                List.of(
                        "A frame is magic F5 53 43 52 || version 01 || type(1) || payload length(4) || header CRC(4) || payload ||",
                        "frame CRC(4); integers big-endian; the header CRC is CRC-32C of bytes 0..9, the frame CRC CRC-32C of everything",
                        "before it. Types: 1 ENVELOPE, 2 REPLY, 3 EVENT, 4 REJECTED, 5 HEARTBEAT. See protocol/FRAMES.md.",
                        "expected is what FrameDecoder(maxPayloadBytes) returns for the input, fed whole or a byte at a time (the same):",
                        "the frames, skippedBytes, badFrames, goodFrames, and bufferedBytes still waiting for more input."));
        file.note("Valid", "A clean stream: whole, intact frames only.")
                .note("Garbage", "Bytes that are no frame before a frame: skipped up to the next magic.")
                .note(
                        "BadHeader",
                        "A candidate frame with a bad version or header CRC: the decoder moves one byte on and rescans.")
                .note(
                        "BadFrameCrc",
                        "A frame whose frame CRC fails (corrupt or torn): dropped, and the rescan starts one byte after its magic.")
                .note(
                        "Oversize",
                        "A header claiming more than maxPayloadBytes: refused before anything is allocated for it.")
                .note(
                        "UnknownType",
                        "An intact frame of a type this version does not know: skipped whole, as a newer peer's frame.")
                .note(
                        "Torn",
                        "A frame cut short by a writer that died: only detected once as many bytes as it claimed arrived.")
                .note("Incomplete", "The input ends inside a frame: the decoder keeps those bytes and waits.")
                .note(
                        "MagicInPayload",
                        "The magic inside a payload is harmless: a frame that decodes is consumed whole.")
                .note(
                        "EncoderLimit",
                        "FrameEncoder refuses a payload above its maximum, so the peer never has to drop it.");
        encoded(file);
        streams(file);
        limits(file);
        return file.render();
    }

    private void encoded(VectorFile file) {
        VectorFile.Group g = file.group(
                "EncodedFrame", "FrameEncoder.encode(type, payload); decoding the frame gives it back.", x -> {});
        frame(
                g,
                "ENVELOPE: envelopes.json tcId 1 (agent.ping from the main session)",
                FrameType.ENVELOPE,
                EnvelopeDraft.of(SessionSpec.MAIN, 1).build());
        frame(
                g,
                "REPLY: sealed-replies.json tcId 1 (the sealed Pong)",
                FrameType.REPLY,
                SealedReplyVectors.pingReply());
        frame(
                g,
                "EVENT: an Event message with placeholder enc and ciphertext (frames never look inside)",
                FrameType.EVENT,
                placeholderEvent());
        frame(
                g,
                "REJECTED: Rejected{request id 1, UNAUTHENTICATED}, as for a bad signature",
                FrameType.REJECTED,
                Rejected.newBuilder()
                        .setRequestId(ByteString.copyFrom(FixedInputs.requestId(1)))
                        .setCode(RejectCode.UNAUTHENTICATED)
                        .build()
                        .toByteArray());
        frame(g, "HEARTBEAT: FRAMES.md's example {nonce 7, sent_millis 42, ack true}", FrameType.HEARTBEAT, heartbeat);
        frame(
                g,
                "HEARTBEAT with an empty payload (all fields default): a 0-byte payload is a frame too",
                FrameType.HEARTBEAT,
                new byte[0]);
    }

    private void frame(VectorFile.Group group, String comment, FrameType type, byte[] payload) {
        byte[] frame = FrameEncoder.encode(new Frame(type, payload));
        ObjectNode t = group.test(comment, List.of("Valid"));
        t.put("type", type.name());
        t.put("typeCode", type.code());
        t.put("payload", VectorJson.hex(payload));
        t.put("headerCrc", VectorJson.hex(Arrays.copyOfRange(frame, HEADER_CRC_OFFSET, HEADER_BYTES)));
        t.put("frameCrc", VectorJson.hex(Arrays.copyOfRange(frame, frame.length - 4, frame.length)));
        t.put("frame", VectorJson.hex(frame));
        stream(t, frame, MAX);
    }

    private void streams(VectorFile file) {
        VectorFile.Group g = file.group("DecodedStream", "FrameDecoder(maxPayloadBytes).feed(input).", x -> {});
        stream(g, "two frames back to back", List.of("Valid"), cat(hBytes, h2Bytes), MAX);
        stream(g, "empty input", List.of("Valid"), new byte[0], MAX);
        stream(
                g,
                "8 bytes of text before a frame",
                List.of("Garbage"),
                cat("garbage!".getBytes(StandardCharsets.US_ASCII), hBytes),
                MAX);
        stream(
                g,
                "a partial magic F5 53 before a frame",
                List.of("Garbage"),
                cat(new byte[] {(byte) 0xf5, 0x53}, hBytes),
                MAX);
        byte[] badMagic = hBytes.clone();
        badMagic[3] = 0x00;
        stream(
                g,
                "a frame whose magic's last byte is 00, then a good frame",
                List.of("Garbage"),
                cat(badMagic, h2Bytes),
                MAX);
        stream(
                g,
                "version 02 (both CRCs right), then a good frame",
                List.of("BadHeader"),
                cat(withCrcs(set(hBytes, VERSION_OFFSET, 2)), h2Bytes),
                MAX);
        stream(
                g,
                "a header CRC bit flipped, then a good frame",
                List.of("BadHeader"),
                cat(flip(hBytes, HEADER_CRC_OFFSET), h2Bytes),
                MAX);
        stream(
                g,
                "a payload bit flipped (frame CRC fails), then a good frame",
                List.of("BadFrameCrc"),
                cat(flip(hBytes, HEADER_BYTES), h2Bytes),
                MAX);
        stream(
                g,
                "a header claiming 65537 bytes (header CRC right), then a good frame",
                List.of("Oversize"),
                cat(header(FrameType.ENVELOPE.code(), MAX + 1), h2Bytes),
                MAX);
        stream(
                g,
                "a header claiming 2^31 bytes (header CRC right), then a good frame",
                List.of("Oversize"),
                cat(header(FrameType.ENVELOPE.code(), Integer.MIN_VALUE), h2Bytes),
                MAX);
        stream(
                g,
                "a 6-byte payload to a decoder allowing 4, then a 2-byte one",
                List.of("Oversize"),
                cat(hBytes, FrameEncoder.encode(new Frame(FrameType.HEARTBEAT, heartbeat(1, 0, false)))),
                4);
        stream(
                g,
                "an intact frame of unknown type 9, then a good frame",
                List.of("UnknownType"),
                cat(withCrcs(set(hBytes, TYPE_OFFSET, UNKNOWN_TYPE)), h2Bytes),
                MAX);
        stream(
                g,
                "the first 20 bytes of an envelope frame, then a good frame: the decoder still waits for the envelope",
                List.of("Torn", "Incomplete"),
                cat(Arrays.copyOf(envelopeFrame, TORN_AT), hBytes),
                MAX);
        byte[] following = new byte[0];
        while (following.length < envelopeFrame.length) {
            following = cat(following, hBytes);
        }
        stream(
                g,
                "the first 20 bytes of an envelope frame, then as many good frames as it claimed: all are found",
                List.of("Torn"),
                cat(Arrays.copyOf(envelopeFrame, TORN_AT), following),
                MAX);
        stream(
                g,
                "a header (CRC right) claiming 30 bytes, around a good frame: the good frame is found inside",
                List.of("BadFrameCrc"),
                cat(header(FrameType.ENVELOPE.code(), 30), hBytes, new byte[10]),
                MAX);
        stream(
                g,
                "a good frame, then the first 10 bytes of another",
                List.of("Incomplete"),
                cat(hBytes, Arrays.copyOf(h2Bytes, 10)),
                MAX);
        stream(
                g,
                "a good frame, then a partial magic F5 53 at the end",
                List.of("Incomplete"),
                cat(hBytes, new byte[] {(byte) 0xf5, 0x53}),
                MAX);
        byte[] magicId = FixedInputs.requestId(1);
        System.arraycopy(new byte[] {(byte) 0xf5, 0x53, 0x43, 0x52}, 0, magicId, 4, 4);
        byte[] rejected = Rejected.newBuilder()
                .setRequestId(ByteString.copyFrom(magicId))
                .setCode(RejectCode.MALFORMED)
                .build()
                .toByteArray();
        stream(
                g,
                "a REJECTED frame whose request id holds the magic F5 53 43 52",
                List.of("Valid", "MagicInPayload"),
                FrameEncoder.encode(new Frame(FrameType.REJECTED, rejected)),
                MAX);
    }

    private void limits(VectorFile file) {
        VectorFile.Group g = file.group(
                "EncoderLimit",
                "FrameEncoder.encode(frame, maxPayloadBytes): a frame, or FrameTooLargeException.",
                x -> {});
        limit(g, "4 bytes, maximum 4", new byte[] {1, 2, 3, 4}, 4);
        limit(g, "5 bytes, maximum 4", new byte[] {1, 2, 3, 4, 5}, 4);
        limit(
                g,
                "65536 zero bytes, the default maximum (payloadLength given instead of the payload)",
                new byte[MAX],
                MAX);
        limit(
                g,
                "65537 zero bytes, the default maximum 65536 (payloadLength given instead of the payload)",
                new byte[MAX + 1],
                MAX);
    }

    private static void limit(VectorFile.Group group, String comment, byte[] payload, int max) {
        ObjectNode t = group.test(comment, List.of("EncoderLimit"));
        boolean large = payload.length > 16;
        if (large) {
            t.put("payloadLength", payload.length);
        } else {
            t.put("payload", VectorJson.hex(payload));
        }
        t.put("maxPayloadBytes", max);
        ObjectNode expected = encodeOutcome(payload, max, large);
        t.put("result", expected.has("exception") ? "invalid" : "valid");
        t.set("expected", expected);
    }

    /** {@code {"frameLength", "frame"?}} or {@code {"exception", "message"}}. */
    static ObjectNode encodeOutcome(byte[] payload, int max, boolean lengthOnly) {
        ObjectNode outcome = VectorJson.object();
        try {
            byte[] frame = FrameEncoder.encode(new Frame(FrameType.ENVELOPE, payload), max);
            outcome.put("frameLength", frame.length);
            if (!lengthOnly) {
                outcome.put("frame", VectorJson.hex(frame));
            }
        } catch (FrameTooLargeException e) {
            outcome.put("exception", FrameTooLargeException.class.getSimpleName());
            outcome.put("message", e.getMessage());
        }
        return outcome;
    }

    private static void stream(VectorFile.Group group, String comment, List<String> flags, byte[] input, int max) {
        ObjectNode t = group.test(comment, flags);
        t.put("input", VectorJson.hex(input));
        stream(t, input, max);
    }

    private static void stream(ObjectNode t, byte[] input, int max) {
        t.put("maxPayloadBytes", max);
        ObjectNode outcome = FrameOutcome.whole(input, max);
        if (!outcome.equals(FrameOutcome.byteByByte(input, max))) {
            throw new IllegalStateException("FrameDecoder decodes this input differently a byte at a time");
        }
        t.put("result", FrameOutcome.clean(outcome) ? "valid" : "invalid");
        t.set("expected", outcome);
    }

    /** A 14-byte header with a right header CRC claiming {@code length} payload bytes. */
    private static byte[] header(int type, int length) {
        byte[] header = ByteBuffer.allocate(HEADER_BYTES)
                .put(new byte[] {(byte) 0xf5, 0x53, 0x43, 0x52, 1})
                .put((byte) type)
                .putInt(length)
                .array();
        ByteBuffer.wrap(header).putInt(HEADER_CRC_OFFSET, crc(header, HEADER_CRC_OFFSET));
        return header;
    }

    /** The frame with both CRCs computed again, so only the changed field is wrong. */
    private static byte[] withCrcs(byte[] frame) {
        byte[] out = frame.clone();
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putInt(HEADER_CRC_OFFSET, crc(out, HEADER_CRC_OFFSET));
        b.putInt(out.length - 4, crc(out, out.length - 4));
        return out;
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private static byte[] heartbeat(long nonce, long sentMillis, boolean ack) {
        return Heartbeat.newBuilder()
                .setNonce(nonce)
                .setSentMillis(sentMillis)
                .setAck(ack)
                .build()
                .toByteArray();
    }

    private static byte[] placeholderEvent() {
        byte[] enc = new byte[32];
        Arrays.fill(enc, (byte) 0xee);
        byte[] ciphertext = new byte[24];
        Arrays.fill(ciphertext, (byte) 0xcc);
        return Event.newBuilder()
                .setSubscriptionId(ByteString.copyFrom(FixedInputs.requestId(1)))
                .setEnc(ByteString.copyFrom(enc))
                .setSequence(0)
                .setCiphertext(ByteString.copyFrom(ciphertext))
                .setAgentId(AgentFixture.agentId())
                .build()
                .toByteArray();
    }

    private static byte[] set(byte[] bytes, int index, int value) {
        byte[] out = bytes.clone();
        out[index] = (byte) value;
        return out;
    }

    private static byte[] flip(byte[] bytes, int index) {
        byte[] out = bytes.clone();
        out[index] ^= 0x01;
        return out;
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
