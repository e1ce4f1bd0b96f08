package org.multiverse.scramble.rtos.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.rtos.v1.FromNode;
import org.multiverse.scramble.rtos.serial.SerialLine;
import org.multiverse.scramble.rtos.serial.TtyLine;
import org.multiverse.scramble.rtos.wire.FrameDecoder;
import org.multiverse.scramble.rtos.wire.FrameEncoder;
import org.multiverse.scramble.rtos.wire.WireCodec;
import org.multiverse.scramble.rtos.wire.WireException;

/**
 * The node behind a relay that drops every sample whose sequence ends in 3: the bridge must
 * count exactly those as lost.
 */
class LossOverPtyTest {

    @Test
    void droppedSamplesAreCountedAsLost(@TempDir Path dir) throws Exception {
        try (PtyNodeHarness h = new PtyNodeHarness(dir, "", true)) {
            Path[] ends = h.relayEnds();
            AtomicInteger dropped = new AtomicInteger();
            try (SerialLine toBridge = TtyLine.open(ends[0], 921_600);
                    SerialLine toNode = TtyLine.open(ends[1], 921_600)) {
                Thread down = pump(toBridge, toNode, null);
                Thread up = pump(toNode, toBridge, dropped);
                h.awaitUp();
                StreamReport r = h.service.stream(
                        PtyNodeHarness.NODE,
                        "volt",
                        100,
                        1,
                        h.session.certificate().encode(),
                        new SampleSink() {
                            @Override
                            public void start(StreamStart s) {}

                            @Override
                            public void sample(SealedSample s) {}
                        });
                assertEquals(10, dropped.get());
                assertEquals(100, r.expected());
                assertEquals(90, r.received());
                assertEquals(10, r.lost());
                down.interrupt();
                up.interrupt();
            }
        }
    }

    /** Copies frames from one line to another; drops samples with sequence % 10 == 3. */
    private static Thread pump(SerialLine from, SerialLine to, AtomicInteger dropped) {
        Thread t = new Thread(
                () -> {
                    FrameDecoder decoder = new FrameDecoder();
                    byte[] buffer = new byte[1024];
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            int n = from.read(buffer);
                            decoder.feed(buffer, 0, n, payload -> {
                                if (dropped != null && isSampleToDrop(payload)) {
                                    dropped.incrementAndGet();
                                    return;
                                }
                                try {
                                    to.write(FrameEncoder.encode(payload));
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            });
                        }
                    } catch (IOException | java.io.UncheckedIOException e) {
                        // line closed at the end of the test
                    }
                },
                "relay");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static boolean isSampleToDrop(byte[] payload) {
        try {
            FromNode m = WireCodec.decodeFromNode(payload);
            return m.hasSample() && m.getSample().getSequence() % 10 == 3;
        } catch (WireException e) {
            return false;
        }
    }
}
