package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameDecoder;
import org.multiverse.scramble.protocol.frame.FrameEncoder;

/**
 * What {@code FrameDecoder} makes of a byte stream: the frames it returns and its counters.
 * {@code bufferedBytes} follows from its accounting rule (every byte fed is in a decoded frame,
 * skipped, or still buffered).
 */
final class FrameOutcome {

    private FrameOutcome() {}

    /** The stream fed in one piece. */
    static ObjectNode whole(byte[] input, int maxPayloadBytes) {
        FrameDecoder decoder = new FrameDecoder(maxPayloadBytes);
        return describe(decoder, decoder.feed(input, 0, input.length), input.length);
    }

    /** The stream fed one byte at a time, as a slow serial line delivers it. */
    static ObjectNode byteByByte(byte[] input, int maxPayloadBytes) {
        FrameDecoder decoder = new FrameDecoder(maxPayloadBytes);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < input.length; i++) {
            frames.addAll(decoder.feed(input, i, 1));
        }
        return describe(decoder, frames, input.length);
    }

    /** Whether a stream was clean: whole frames only, nothing skipped or left over. */
    static boolean clean(ObjectNode outcome) {
        return outcome.get("skippedBytes").asLong() == 0
                && outcome.get("badFrames").asLong() == 0
                && outcome.get("bufferedBytes").asLong() == 0;
    }

    private static ObjectNode describe(FrameDecoder decoder, List<Frame> frames, int fed) {
        ObjectNode outcome = VectorJson.object();
        ArrayNode list = outcome.putArray("frames");
        long inFrames = 0;
        for (Frame f : frames) {
            list.addObject().put("type", f.type().name()).put("payload", VectorJson.hex(f.payload()));
            inFrames += f.payload().length + FrameEncoder.OVERHEAD_BYTES;
        }
        outcome.put("skippedBytes", decoder.skippedBytes());
        outcome.put("badFrames", decoder.badFrames());
        outcome.put("goodFrames", decoder.goodFrames());
        outcome.put("bufferedBytes", fed - inFrames - decoder.skippedBytes());
        return outcome;
    }
}
