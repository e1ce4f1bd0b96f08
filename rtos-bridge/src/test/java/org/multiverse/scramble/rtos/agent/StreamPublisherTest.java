package org.multiverse.scramble.rtos.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.rtos.link.SealedSample;

class StreamPublisherTest {

    @Test
    void recordsAreSequenceTimeLastSealed() {
        byte[] sealed = new byte[20];
        sealed[0] = (byte) 0xAB;
        sealed[19] = (byte) 0xCD;
        byte[] out = StreamPublisher.encode(
                List.of(new SealedSample(7, 0x01020304, 0x1122334455667788L, true, new byte[17], sealed)));
        assertEquals(StreamPublisher.RECORD_BYTES, out.length);
        assertArrayEquals(
                HexFormat.of().parseHex("01020304" + "1122334455667788" + "01" + "ab" + "00".repeat(18) + "cd"), out);
    }

    @Test
    void aSealedValueOfAnotherSizeIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> StreamPublisher.encode(List.of(new SealedSample(7, 1, 1, false, new byte[17], new byte[21]))));
        assertEquals("sealed sample of 21 bytes", e.getMessage());
    }
}
