package org.multiverse.scramble.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link FrameDecoder}. Without {@code JAZZER_FUZZ} (how {@code ./mvnw test} runs
 * it) Jazzer replays the seeds in {@code src/test/resources/.../FrameDecoderFuzzTestInputs/
 * decodesAnyInputWithinBounds/}; with {@code JAZZER_FUZZ=1} it mutates them.
 */
class FrameDecoderFuzzTest {

    /** Small, so that fuzzed lengths hit the limit often. */
    private static final int MAX_PAYLOAD = 256;

    private static final int MAX_FRAME = MAX_PAYLOAD + FrameEncoder.OVERHEAD_BYTES;

    @FuzzTest
    void decodesAnyInputWithinBounds(byte[] input) {
        if (input.length == 0) {
            return;
        }
        // The first byte picks the read size, as a transport's reads would vary.
        int chunk = 1 + (input[0] & 0xFF);
        FrameDecoder decoder = new FrameDecoder(MAX_PAYLOAD);
        List<Frame> frames = new ArrayList<>();
        long goodBytes = 0;
        for (int offset = 1; offset < input.length; offset += chunk) {
            List<Frame> out = decoder.feed(input, offset, Math.min(chunk, input.length - offset));
            for (Frame frame : out) {
                assertTrue(frame.payload().length <= MAX_PAYLOAD);
                goodBytes += frame.payload().length + FrameEncoder.OVERHEAD_BYTES;
            }
            frames.addAll(out);
            assertTrue(decoder.bufferedBytes() < MAX_FRAME, "buffered " + decoder.bufferedBytes());
            assertTrue(decoder.capacity() <= MAX_FRAME, "capacity " + decoder.capacity());
        }
        assertEquals(input.length - 1, goodBytes + decoder.skippedBytes() + decoder.bufferedBytes());
        assertEquals(frames.size(), decoder.goodFrames());

        // Whatever was decoded is decoded the same way when fed in one piece.
        FrameDecoder whole = new FrameDecoder(MAX_PAYLOAD);
        assertEquals(frames, whole.feed(input, 1, input.length - 1));
    }
}
