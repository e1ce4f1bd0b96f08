package org.multiverse.scramble.rtos.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.multiverse.scramble.protocol.rtos.v1.FromNode;
import org.multiverse.scramble.protocol.rtos.v1.ToNode;

/**
 * Hostile bytes on the line, for both ends. Under plain {@code ./mvnw verify} these run the
 * committed seed corpus ({@code src/test/resources/.../DecoderFuzzTestInputs/METHOD/});
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class DecoderFuzzTest {

    /** The node's input path: frames, then ToNode messages within bounds. */
    @FuzzTest(maxDuration = "30s")
    void nodeSideDecoder(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        List<byte[]> payloads = new ArrayList<>();
        new FrameDecoder().feed(bytes, 0, bytes.length, payloads::add);
        payloads.add(bytes); // the raw bytes as a payload too: the message decoder's own fuzz
        for (byte[] p : payloads) {
            assertTrue(p.length <= FrameLimits.MAX_ON_WIRE || p == bytes);
            try {
                ToNode m = WireCodec.decodeToNode(p);
                Bounds.check(m);
                // anything accepted re-encodes into one frame
                assertTrue(WireCodec.frame(m).length <= FrameLimits.MAX_ON_WIRE);
            } catch (WireException expected) {
                // refused with a reason: fine
            }
        }
    }

    /** The bridge's input path: frames, then FromNode messages within bounds. */
    @FuzzTest(maxDuration = "30s")
    void bridgeSideDecoder(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        List<byte[]> payloads = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder();
        for (byte b : bytes) { // byte at a time, as a slow UART delivers it
            decoder.feed(new byte[] {b}, 0, 1, payloads::add);
        }
        payloads.add(bytes);
        for (byte[] p : payloads) {
            try {
                FromNode m = WireCodec.decodeFromNode(p);
                assertTrue(WireCodec.frame(m).length <= FrameLimits.MAX_ON_WIRE);
            } catch (WireException expected) {
                // refused with a reason: fine
            }
        }
    }
}
