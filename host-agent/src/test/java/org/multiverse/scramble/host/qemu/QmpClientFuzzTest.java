package org.multiverse.scramble.host.qemu;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes what the host agent reads from QEMU's QMP socket, whose other end is a process
 * driving a guest: for any bytes, {@link QmpClient#readMessages} dispatches well-formed
 * messages and ends with an {@link IOException} for a misbehaving peer; nothing else escapes,
 * and each event reaches the listener with a name and a data object. Seeds:
 * {@code src/test/resources/.../QmpClientFuzzTestInputs/readsMessagesOrEndsTheConnection/}.
 */
class QmpClientFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void readsMessagesOrEndsTheConnection(byte[] input) throws IOException {
        List<QmpEvent> events = new ArrayList<>();
        try (SocketChannel unconnected = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            QmpClient client = new QmpClient(unconnected, events::add, () -> {});
            try {
                client.readMessages(new ByteArrayInputStream(input));
            } catch (IOException expected) {
                // the peer misbehaved: the connection ends
            } finally {
                client.close();
            }
        }
        for (QmpEvent e : events) {
            assertNotNull(e.name());
            assertNotNull(e.data());
        }
        assertTrue(events.size() <= input.length);
    }
}
