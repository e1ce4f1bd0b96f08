package org.multiverse.scramble.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiverse.scramble.protocol.frame.RawFrames.concat;
import static org.multiverse.scramble.protocol.frame.RawFrames.encode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static final byte[] GOOD = encode(FrameType.REPLY, "the next good frame");
    private static final Frame GOOD_FRAME =
            new Frame(FrameType.REPLY, "the next good frame".getBytes(StandardCharsets.UTF_8));

    private static List<Frame> feedAll(FrameDecoder decoder, byte[] bytes) {
        return decoder.feed(bytes, 0, bytes.length);
    }

    private static List<Frame> feedByteAtATime(FrameDecoder decoder, byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            frames.addAll(decoder.feed(bytes, i, 1));
        }
        return frames;
    }

    /** Every byte fed is in a good frame, skipped, or buffered. */
    private static void assertAccounted(FrameDecoder decoder, long fed, long goodFrameBytes) {
        assertEquals(fed, goodFrameBytes + decoder.skippedBytes() + decoder.bufferedBytes());
    }

    @Test
    void encodesTheDocumentedLayout() {
        // The hex example in protocol/FRAMES.md; CRCs checked against an independent bitwise
        // CRC-32C (Castagnoli, reflected poly 0x82F63B78, check value E3069283).
        byte[] frame = FrameEncoder.encode(
                new Frame(FrameType.HEARTBEAT, HexFormat.of().parseHex("0807102a1801")));
        assertEquals(
                "f5534352" + "01" + "05" + "00000006" + "84c93fab" + "0807102a1801" + "8646d8df",
                HexFormat.of().formatHex(frame));
    }

    @Test
    void roundTripsEveryTypeAndSize() {
        Random random = new Random(1);
        for (FrameType type : FrameType.values()) {
            for (int size : new int[] {0, 1, 17, 400, 4096, FrameEncoder.DEFAULT_MAX_PAYLOAD}) {
                byte[] payload = new byte[size];
                random.nextBytes(payload);
                byte[] encoded = FrameEncoder.encode(new Frame(type, payload));
                assertEquals(size + FrameEncoder.OVERHEAD_BYTES, encoded.length);
                FrameDecoder decoder = new FrameDecoder();
                List<Frame> frames = feedAll(decoder, encoded);
                assertEquals(List.of(new Frame(type, payload)), frames);
                assertEquals(1, decoder.goodFrames());
                assertEquals(0, decoder.badFrames());
                assertEquals(0, decoder.skippedBytes());
                assertEquals(0, decoder.bufferedBytes());
            }
        }
    }

    @Test
    void encoderRefusesOversizePayload() {
        Frame big = new Frame(FrameType.ENVELOPE, new byte[FrameEncoder.DEFAULT_MAX_PAYLOAD + 1]);
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, () -> FrameEncoder.encode(big));
        assertEquals(FrameEncoder.DEFAULT_MAX_PAYLOAD + 1, e.payloadBytes());
        assertEquals(FrameEncoder.DEFAULT_MAX_PAYLOAD, e.maxPayloadBytes());
        assertThrows(
                FrameTooLargeException.class, () -> FrameEncoder.encode(new Frame(FrameType.EVENT, new byte[11]), 10));
        assertEquals(
                10 + FrameEncoder.OVERHEAD_BYTES,
                FrameEncoder.encode(new Frame(FrameType.EVENT, new byte[10]), 10).length);
    }

    @Test
    void frameComparesContentAndHidesPayloadInToString() {
        Frame a = new Frame(FrameType.EVENT, new byte[] {1, 2, 3});
        assertEquals(a, new Frame(FrameType.EVENT, new byte[] {1, 2, 3}));
        assertEquals(a.hashCode(), new Frame(FrameType.EVENT, new byte[] {1, 2, 3}).hashCode());
        assertNotEquals(a, new Frame(FrameType.REPLY, new byte[] {1, 2, 3}));
        assertNotEquals(a, new Frame(FrameType.EVENT, new byte[] {1, 2, 4}));
        assertEquals("Frame[EVENT, 3 bytes]", a.toString());
        assertThrows(NullPointerException.class, () -> new Frame(null, new byte[0]));
        assertThrows(NullPointerException.class, () -> new Frame(FrameType.EVENT, null));
    }

    @Test
    void byteAtATimeFeedingDecodesAStreamOfFrames() {
        List<Frame> sent = new ArrayList<>();
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Frame frame = new Frame(
                    FrameType.values()[i % 5], ("frame " + i).repeat(i).getBytes(StandardCharsets.UTF_8));
            sent.add(frame);
            parts.add(FrameEncoder.encode(frame));
        }
        byte[] stream = concat(parts.toArray(new byte[0][]));
        FrameDecoder decoder = new FrameDecoder();
        assertEquals(sent, feedByteAtATime(decoder, stream));
        assertEquals(50, decoder.goodFrames());
        assertEquals(0, decoder.skippedBytes());
    }

    @Test
    void everyTruncationPointDropsOnlyTheTornFrame() {
        byte[] torn = encode(FrameType.ENVELOPE, "a frame that the link cuts short");
        for (int cut = 1; cut < torn.length; cut++) {
            byte[] prefix = java.util.Arrays.copyOf(torn, cut);
            // The torn frame is followed by good frames; once enough bytes arrive for the torn
            // header's claimed length, its CRC fails and the decoder resynchronises.
            byte[] stream = concat(prefix, GOOD, GOOD, GOOD);
            for (boolean byteAtATime : new boolean[] {false, true}) {
                FrameDecoder decoder = new FrameDecoder();
                List<Frame> frames = byteAtATime ? feedByteAtATime(decoder, stream) : feedAll(decoder, stream);
                assertEquals(List.of(GOOD_FRAME, GOOD_FRAME, GOOD_FRAME), frames, "cut at " + cut);
                assertEquals(cut, decoder.skippedBytes(), "cut at " + cut);
                assertAccounted(decoder, stream.length, 3L * GOOD.length);
            }
        }
    }

    @Test
    void truncatedInputAloneYieldsNothingAndStaysBuffered() {
        for (int cut = 0; cut < GOOD.length; cut++) {
            FrameDecoder decoder = new FrameDecoder();
            assertTrue(decoder.feed(GOOD, 0, cut).isEmpty());
            assertEquals(0, decoder.badFrames());
            assertEquals(cut, decoder.bufferedBytes());
            // The rest completes it.
            assertEquals(List.of(GOOD_FRAME), decoder.feed(GOOD, cut, GOOD.length - cut));
        }
    }

    @Test
    void anySingleBitFlipDropsThatFrameAndKeepsTheNext() {
        byte[] small = encode(FrameType.HEARTBEAT, "12345678");
        for (int bit = 0; bit < small.length * 8; bit++) {
            byte[] flipped = small.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            byte[] stream = concat(flipped, GOOD);
            for (boolean byteAtATime : new boolean[] {false, true}) {
                FrameDecoder decoder = new FrameDecoder();
                List<Frame> frames = byteAtATime ? feedByteAtATime(decoder, stream) : feedAll(decoder, stream);
                assertEquals(List.of(GOOD_FRAME), frames, "bit " + bit);
                assertEquals(small.length, decoder.skippedBytes(), "bit " + bit);
                assertEquals(0, decoder.bufferedBytes(), "bit " + bit);
                if (bit >= 32) { // outside the magic, the damaged frame is seen and counted
                    assertTrue(decoder.badFrames() >= 1, "bit " + bit);
                }
            }
        }
    }

    @Test
    void garbagePrefixSuffixAndInterleavingIsSkipped() {
        // Garbage made of partial magics and random bytes without 0xF5 (so it holds no magic).
        Random random = new Random(7);
        byte[][] garbage = new byte[5][];
        for (int i = 0; i < garbage.length; i++) {
            byte[] g = new byte[random.nextInt(300)];
            random.nextBytes(g);
            for (int j = 0; j < g.length; j++) {
                if (g[j] == (byte) 0xF5) {
                    g[j] = 0;
                }
            }
            garbage[i] = concat(g, new byte[] {(byte) 0xF5, 0x53, 0x43}, new byte[] {(byte) 0xF5});
        }
        byte[] a = encode(FrameType.ENVELOPE, "first");
        byte[] b = encode(FrameType.REPLY, "second");
        byte[] c = encode(FrameType.EVENT, "third");
        byte[] stream = concat(garbage[0], a, garbage[1], b, garbage[2], garbage[3], c, garbage[4]);
        long garbageBytes = 0;
        for (byte[] g : garbage) {
            garbageBytes += g.length;
        }
        FrameDecoder decoder = new FrameDecoder();
        List<Frame> frames = feedAll(decoder, stream);
        assertEquals(3, frames.size());
        assertArrayEquals(
                "first".getBytes(StandardCharsets.UTF_8), frames.get(0).payload());
        assertArrayEquals(
                "second".getBytes(StandardCharsets.UTF_8), frames.get(1).payload());
        assertArrayEquals(
                "third".getBytes(StandardCharsets.UTF_8), frames.get(2).payload());
        // The trailing 0xF5 might be the start of a magic, so it stays buffered.
        assertEquals(1, decoder.bufferedBytes());
        assertEquals(garbageBytes - 1, decoder.skippedBytes());
        assertEquals(0, decoder.badFrames());
        assertAccounted(decoder, stream.length, a.length + b.length + c.length);
    }

    @Test
    void randomChunkingOfAMixedStreamGivesTheSameFrames() {
        Random random = new Random(42);
        List<Frame> sent = new ArrayList<>();
        List<byte[]> parts = new ArrayList<>();
        long goodBytes = 0;
        for (int i = 0; i < 200; i++) {
            byte[] payload = new byte[random.nextInt(2000)];
            random.nextBytes(payload);
            Frame frame = new Frame(FrameType.values()[random.nextInt(5)], payload);
            byte[] encoded = FrameEncoder.encode(frame);
            sent.add(frame);
            goodBytes += encoded.length;
            parts.add(encoded);
            if (random.nextInt(3) == 0) {
                byte[] junk = new byte[random.nextInt(50)];
                random.nextBytes(junk);
                parts.add(junk);
            }
        }
        byte[] stream = concat(parts.toArray(new byte[0][]));
        FrameDecoder decoder = new FrameDecoder();
        List<Frame> received = new ArrayList<>();
        int position = 0;
        while (position < stream.length) {
            int n = Math.min(stream.length - position, 1 + random.nextInt(5000));
            received.addAll(decoder.feed(stream, position, n));
            position += n;
            assertTrue(decoder.capacity() <= FrameEncoder.DEFAULT_MAX_PAYLOAD + FrameEncoder.OVERHEAD_BYTES);
        }
        assertEquals(sent, received);
        assertAccounted(decoder, stream.length, goodBytes);
    }

    @Test
    void magicInsidePayloadIsNotAFrameBoundary() {
        byte[] inner = encode(FrameType.HEARTBEAT, "inner");
        byte[] outerPayload = concat(FrameFormat.MAGIC, FrameFormat.MAGIC, inner, FrameFormat.MAGIC);
        Frame outer = new Frame(FrameType.ENVELOPE, outerPayload);
        FrameDecoder decoder = new FrameDecoder();
        assertEquals(List.of(outer), feedByteAtATime(decoder, FrameEncoder.encode(outer)));
        assertEquals(0, decoder.skippedBytes());
    }

    @Test
    void frameHiddenInsideACorruptFrameIsFound() {
        byte[] inner = encode(FrameType.HEARTBEAT, "inner");
        byte[] outer = FrameEncoder.encode(new Frame(FrameType.ENVELOPE, concat(new byte[] {9, 9}, inner)));
        outer[outer.length - 1] ^= 1; // break the outer frame's CRC
        FrameDecoder decoder = new FrameDecoder();
        List<Frame> frames = feedAll(decoder, concat(outer, GOOD));
        assertEquals(
                List.of(new Frame(FrameType.HEARTBEAT, "inner".getBytes(StandardCharsets.UTF_8)), GOOD_FRAME), frames);
        assertEquals(outer.length - inner.length, decoder.skippedBytes());
    }

    @Test
    void tornFrameFollowedByANewFrameResynchronises() {
        byte[] first = encode(FrameType.ENVELOPE, "x".repeat(100));
        byte[] torn = java.util.Arrays.copyOf(first, 60); // the sender restarted mid-frame
        byte[] stream = concat(torn, GOOD, GOOD, GOOD, GOOD, GOOD);
        FrameDecoder decoder = new FrameDecoder();
        List<Frame> frames = feedAll(decoder, stream);
        assertEquals(5, frames.size());
        assertEquals(1, decoder.badFrames());
        assertEquals(60, decoder.skippedBytes());
    }

    @Test
    void oversizeLengthIsRefusedWithoutAllocating() {
        for (long claimed : new long[] {17, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL}) {
            FrameDecoder decoder = new FrameDecoder(16);
            byte[] good = FrameEncoder.encode(new Frame(FrameType.HEARTBEAT, new byte[16]), 16);
            List<Frame> frames = feedAll(decoder, concat(RawFrames.header(claimed), good));
            assertEquals(List.of(new Frame(FrameType.HEARTBEAT, new byte[16])), frames, "claimed " + claimed);
            assertEquals(1, decoder.badFrames());
            assertEquals(FrameFormat.HEADER_LENGTH, decoder.skippedBytes());
            assertTrue(decoder.capacity() <= 16 + FrameEncoder.OVERHEAD_BYTES);
        }
    }

    @Test
    void twoGibibyteClaimOnDefaultDecoderNeverGrowsTheBuffer() {
        FrameDecoder decoder = new FrameDecoder();
        int before = decoder.capacity();
        byte[] header = RawFrames.header(0x8000_0000L);
        for (int i = 0; i < 1000; i++) {
            assertTrue(decoder.feed(header, 0, header.length).isEmpty());
        }
        assertEquals(1000, decoder.badFrames());
        assertEquals(before, decoder.capacity());
        assertEquals(1000L * header.length, decoder.skippedBytes());
    }

    @Test
    void payloadJustOverTheDecoderMaximumIsDropped() {
        FrameDecoder decoder = new FrameDecoder(100);
        byte[] tooBig = FrameEncoder.encode(new Frame(FrameType.EVENT, new byte[101]), 101);
        byte[] fits = FrameEncoder.encode(new Frame(FrameType.EVENT, new byte[100]), 100);
        List<Frame> frames = feedAll(decoder, concat(tooBig, fits));
        assertEquals(List.of(new Frame(FrameType.EVENT, new byte[100])), frames);
        assertEquals(1, decoder.badFrames());
        assertEquals(tooBig.length, decoder.skippedBytes());
    }

    @Test
    void zeroMaximumAcceptsOnlyEmptyPayloads() {
        FrameDecoder decoder = new FrameDecoder(0);
        byte[] empty = FrameEncoder.encode(new Frame(FrameType.HEARTBEAT, new byte[0]));
        byte[] one = FrameEncoder.encode(new Frame(FrameType.HEARTBEAT, new byte[1]));
        assertEquals(2, feedAll(decoder, concat(empty, one, empty)).size());
        assertEquals(1, decoder.badFrames());
    }

    @Test
    void unknownVersionIsDropped() {
        byte[] v2 = RawFrames.frame(2, FrameType.ENVELOPE.code(), 5, "hello".getBytes(StandardCharsets.UTF_8));
        FrameDecoder decoder = new FrameDecoder();
        assertEquals(List.of(GOOD_FRAME), feedAll(decoder, concat(v2, GOOD)));
        assertEquals(1, decoder.badFrames());
        assertEquals(v2.length, decoder.skippedBytes());
    }

    @Test
    void unknownTypeIsSkippedWholeWithoutLookingInside() {
        for (int code : new int[] {0, 8, 255}) {
            // Its payload holds a valid frame; an intact frame of unknown type is skipped whole.
            byte[] unknown = RawFrames.frame(FrameFormat.VERSION, code, GOOD.length, GOOD);
            FrameDecoder decoder = new FrameDecoder();
            assertEquals(List.of(GOOD_FRAME), feedAll(decoder, concat(unknown, GOOD)), "code " + code);
            assertEquals(1, decoder.badFrames());
            assertEquals(1, decoder.goodFrames());
            assertEquals(unknown.length, decoder.skippedBytes());
        }
    }

    @Test
    void resetDropsPartialInput() {
        FrameDecoder decoder = new FrameDecoder();
        assertTrue(decoder.feed(GOOD, 0, 20).isEmpty());
        decoder.reset();
        assertEquals(0, decoder.bufferedBytes());
        assertEquals(20, decoder.skippedBytes());
        assertEquals(List.of(GOOD_FRAME), feedAll(decoder, GOOD));
    }

    @Test
    void feedHonoursOffsetAndLengthAndChecksBounds() {
        byte[] padded = concat(new byte[] {1, 2, 3}, GOOD, new byte[] {4, 5});
        FrameDecoder decoder = new FrameDecoder();
        assertEquals(List.of(GOOD_FRAME), decoder.feed(padded, 3, GOOD.length));
        assertEquals(0, decoder.skippedBytes());
        assertTrue(decoder.feed(padded, 0, 0).isEmpty());
        assertThrows(IndexOutOfBoundsException.class, () -> decoder.feed(padded, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> decoder.feed(padded, 3, padded.length));
    }

    @Test
    void committedFuzzSeedsDecodeAsTheirNamesSay() throws Exception {
        // Keeps the fuzz corpus meaningful (the first byte of a seed is the read size).
        assertEquals(1, decodeSeed("heartbeat_frame_byte_at_a_time").goodFrames());
        assertEquals(1, decodeSeed("envelope_frame_one_read").goodFrames());
        assertEquals(2, decodeSeed("garbage_partial_magic_between_frames").goodFrames());
        assertEquals(1, decodeSeed("header_claims_2GiB_then_good").badFrames());
        assertEquals(1, decodeSeed("bad_crc_then_good").goodFrames());
        assertEquals(2, decodeSeed("frame_hidden_in_corrupt_frame").goodFrames());
        assertEquals(1, decodeSeed("payload_over_fuzz_limit").goodFrames());
    }

    private static FrameDecoder decodeSeed(String name) throws java.io.IOException {
        byte[] seed;
        try (var in = FrameCodecTest.class.getResourceAsStream(
                "FrameDecoderFuzzTestInputs/decodesAnyInputWithinBounds/" + name)) {
            assertTrue(in != null, "missing seed " + name);
            seed = in.readAllBytes();
        }
        FrameDecoder decoder = new FrameDecoder(256);
        decoder.feed(seed, 1, seed.length - 1);
        return decoder;
    }

    @Test
    void constructorRejectsUnreasonableLimits() {
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(-1));
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(16 * 1024 * 1024 + 1));
    }
}
