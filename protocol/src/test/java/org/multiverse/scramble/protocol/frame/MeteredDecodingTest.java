package org.multiverse.scramble.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder pays its parse work from a {@link WorkMeter} and stops, keeping its place, when refused. */
class MeteredDecodingTest {

    /** A meter with a fixed allowance that the test tops up; counts what was charged. */
    private static final class Allowance implements WorkMeter {
        long left;
        long charged;

        @Override
        public boolean tryCharge(long units) {
            if (units > left) {
                return false;
            }
            left -= units;
            charged += units;
            return true;
        }
    }

    private static byte[] headerBomb(int headers) {
        byte[] header = RawFrames.header(FrameEncoder.DEFAULT_MAX_PAYLOAD);
        byte[] out = new byte[header.length * headers];
        for (int i = 0; i < out.length; i += header.length) {
            System.arraycopy(header, 0, out, i, header.length);
        }
        return out;
    }

    @Test
    void goodFramesCostAboutTheirSize() {
        byte[] frames = RawFrames.concat(
                RawFrames.encode(FrameType.ENVELOPE, "a".repeat(1000)), RawFrames.encode(FrameType.ENVELOPE, "b"));
        Allowance meter = new Allowance();
        meter.left = Long.MAX_VALUE;
        FrameDecoder d = new FrameDecoder();
        d.setWorkMeter(meter);
        List<Frame> out = new ArrayList<>();
        assertEquals(frames.length, d.feedMetered(frames, 0, frames.length, out));
        assertEquals(2, out.size());
        assertTrue(meter.charged < 2L * frames.length, "charged " + meter.charged + " for " + frames.length + " B");
    }

    @Test
    void aHeaderBombStopsWhenTheAllowanceIsSpentAndResumesWhereItStopped() {
        byte[] bomb = headerBomb(10_000); // 140 000 bytes that would cost ~10 000 CRCs over 64 KiB
        byte[] good = RawFrames.encode(FrameType.ENVELOPE, "after the bomb");
        // Zeros after it, so the last headers' claimed 64 KiB is there and fails its CRC.
        byte[] input = RawFrames.concat(bomb, good, new byte[FrameEncoder.DEFAULT_MAX_PAYLOAD + 64]);
        Allowance meter = new Allowance();
        meter.left = 1 << 20;
        FrameDecoder d = new FrameDecoder();
        d.setWorkMeter(meter);
        List<Frame> out = new ArrayList<>();
        int consumed = d.feedMetered(input, 0, input.length, out);
        assertTrue(d.starved());
        assertTrue(consumed < input.length, "consumed all " + consumed);
        assertTrue(meter.charged <= 1 << 20);
        assertTrue(d.bufferedBytes() <= FrameEncoder.DEFAULT_MAX_PAYLOAD + FrameFormat.OVERHEAD);
        // Topped up without limit, the rest decodes: nothing was lost by stopping.
        meter.left = Long.MAX_VALUE;
        int rest = d.feedMetered(input, consumed, input.length - consumed, out);
        assertEquals(input.length - consumed, rest);
        assertFalse(d.starved());
        assertEquals(1, out.size());
        assertEquals("after the bomb", new String(out.get(0).payload(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(input.length, good.length + d.skippedBytes());
    }

    @Test
    void anUnmeteredFeedOfAMeteredDecoderIsAnError() {
        FrameDecoder d = new FrameDecoder();
        d.setWorkMeter(units -> false);
        byte[] frame = RawFrames.encode(FrameType.ENVELOPE, "x");
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> d.feed(frame, 0, frame.length));
    }
}
