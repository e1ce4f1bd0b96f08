package org.multiverse.scramble.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FrameTypeTest {

    @Test
    void everyTypeRoundTripsThroughItsCode() {
        for (FrameType type : FrameType.values()) {
            assertEquals(Optional.of(type), FrameType.fromCode(type.code()));
        }
    }

    @Test
    void codesAreTheDocumentedOnes() {
        assertEquals(1, FrameType.ENVELOPE.code());
        assertEquals(2, FrameType.REPLY.code());
        assertEquals(3, FrameType.EVENT.code());
        assertEquals(4, FrameType.REJECTED.code());
        assertEquals(5, FrameType.HEARTBEAT.code());
        assertEquals(6, FrameType.RELAYED_ENVELOPE.code());
        assertEquals(7, FrameType.REPLY_PART.code());
        assertEquals(
                FrameType.values().length,
                Arrays.stream(FrameType.values())
                        .mapToInt(FrameType::code)
                        .distinct()
                        .count());
    }

    @Test
    void unknownCodesAreEmpty() {
        for (int code : new int[] {0, 8, 127, 255, -1, 256, Integer.MIN_VALUE}) {
            assertTrue(FrameType.fromCode(code).isEmpty(), "code " + code);
        }
    }
}
