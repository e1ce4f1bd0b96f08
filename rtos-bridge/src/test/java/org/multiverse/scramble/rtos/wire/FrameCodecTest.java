package org.multiverse.scramble.rtos.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private final FrameDecoder decoder = new FrameDecoder();
    private final List<byte[]> out = new ArrayList<>();

    private void feed(byte[] bytes) {
        decoder.feed(bytes, 0, bytes.length, out::add);
    }

    @Test
    void crc32cCheckValueMatchesTheSpec() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, Crc32c.of(check, 0, check.length));
    }

    @Test
    void wireMdHexExampleIsExact() {
        // WIRE.md section 2.4: payload 08 01 5A 00 (ToNode{request_id 1, ping{}}).
        byte[] payload = HexFormat.of().parseHex("08015a00");
        byte[] frame = FrameEncoder.encode(payload);
        assertEquals(WireExample.FRAME_HEX, HexFormat.of().formatHex(frame));
        feed(frame);
        assertArrayEquals(payload, out.get(0));
    }

    @Test
    void roundTripsEveryLengthAndZeroPattern() {
        Random random = new Random(7);
        for (int len = 1; len <= FrameLimits.MAX_PAYLOAD; len++) {
            byte[] payload = new byte[len];
            random.nextBytes(payload);
            if (len % 3 == 0) {
                payload[len / 2] = 0;
            }
            if (len % 5 == 0) {
                java.util.Arrays.fill(payload, (byte) 0);
            }
            byte[] frame = FrameEncoder.encode(payload);
            assertEquals(0, frame[frame.length - 1]);
            for (int i = 0; i < frame.length - 1; i++) {
                assertEquals(true, frame[i] != 0, "zero inside frame at " + i);
            }
            assertEquals(true, frame.length <= FrameLimits.MAX_ON_WIRE);
            feed(frame);
            assertArrayEquals(payload, out.get(out.size() - 1), "length " + len);
        }
        assertEquals(FrameLimits.MAX_PAYLOAD, decoder.frames());
        assertEquals(0, decoder.dropped());
    }

    @Test
    void byteAtATimeGivesTheSameFrames() {
        byte[] a = FrameEncoder.encode(new byte[] {1, 0, 2});
        byte[] b = FrameEncoder.encode(new byte[300 - 48]);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(a);
        stream.writeBytes(b);
        for (byte x : stream.toByteArray()) {
            decoder.feed(new byte[] {x}, 0, 1, out::add);
        }
        assertEquals(2, out.size());
        assertArrayEquals(new byte[] {1, 0, 2}, out.get(0));
        assertEquals(252, out.get(1).length);
    }

    @Test
    void noiseBeforeAFrameIsDroppedAndTheFrameSurvives() {
        feed(new byte[] {(byte) 0xFF, 0x13, 0x37, 0x42, 0});
        feed(FrameEncoder.encode(new byte[] {9, 9}));
        assertEquals(1, out.size());
        assertArrayEquals(new byte[] {9, 9}, out.get(0));
        assertEquals(1, decoder.dropped());
    }

    @Test
    void noiseGluedToTheFrontOfAFrameCostsThatFrameOnlyAndIsCounted() {
        byte[] frame = FrameEncoder.encode(new byte[] {5, 6, 7});
        feed(new byte[] {0x55, 0x66});
        feed(frame);
        feed(frame);
        assertEquals(1, out.size());
        assertEquals(1, decoder.dropped());
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] payload = "a frame to corrupt".getBytes(StandardCharsets.US_ASCII);
        byte[] frame = FrameEncoder.encode(payload);
        for (int i = 0; i < frame.length - 1; i++) {
            for (int bit = 0; bit < 8; bit++) {
                FrameDecoder d = new FrameDecoder();
                List<byte[]> got = new ArrayList<>();
                byte[] bad = frame.clone();
                bad[i] ^= (byte) (1 << bit);
                d.feed(bad, 0, bad.length, got::add);
                // A flip that makes a zero splits the frame; either way nothing false comes out.
                for (byte[] p : got) {
                    assertEquals(
                            false,
                            java.util.Arrays.equals(p, payload) && bad[i] != 0,
                            "flip at " + i + "/" + bit + " accepted");
                }
                assertEquals(0, got.size(), "flip at " + i + "/" + bit);
                // and the next good frame is still decoded
                d.feed(frame, 0, frame.length, got::add);
                assertEquals(1, got.size());
            }
        }
    }

    @Test
    void truncatedFrameIsDroppedAndTheNextOneDecodes() {
        byte[] frame = FrameEncoder.encode(new byte[] {1, 2, 3, 4, 5, 6});
        for (int cut = 1; cut < frame.length - 1; cut++) {
            FrameDecoder d = new FrameDecoder();
            List<byte[]> got = new ArrayList<>();
            d.feed(frame, 0, cut, got::add);
            d.feed(new byte[] {0}, 0, 1, got::add); // the line went quiet, then a delimiter
            d.feed(frame, 0, frame.length, got::add);
            assertEquals(1, got.size(), "cut at " + cut);
            assertEquals(1, d.dropped(), "cut at " + cut);
        }
    }

    @Test
    void oversizeBlockIsSkippedWithoutBufferingAndCounted() {
        byte[] junk = new byte[10_000];
        java.util.Arrays.fill(junk, (byte) 0x41);
        feed(junk);
        feed(new byte[] {0});
        feed(FrameEncoder.encode(new byte[] {1}));
        assertEquals(1, decoder.oversize());
        assertEquals(1, out.size());
    }

    @Test
    void blockJustAboveTheLimitIsOversize() {
        byte[] raw = new byte[FrameLimits.MAX_RAW + 1];
        java.util.Arrays.fill(raw, (byte) 1);
        byte[] enc = new byte[Cobs.maxEncodedLength(raw.length)];
        int n = Cobs.encode(raw, raw.length, enc);
        decoder.feed(enc, 0, n, out::add);
        feed(new byte[] {0});
        assertEquals(1, decoder.oversize());
        assertEquals(0, out.size());
    }

    @Test
    void runtsAndBadCobsAreCountedSeparately() {
        feed(new byte[] {0x02, 0x01, 0}); // decodes to one byte: shorter than a CRC
        feed(new byte[] {0x05, 0x01, 0}); // code points past the end
        assertEquals(1, decoder.runts());
        assertEquals(1, decoder.cobsErrors());
        assertEquals(0, out.size());
    }

    @Test
    void encoderRefusesEmptyAndOversizePayloads() {
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode(new byte[FrameLimits.MAX_PAYLOAD + 1]));
    }
}
