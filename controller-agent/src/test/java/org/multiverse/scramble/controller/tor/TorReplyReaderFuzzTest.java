package org.multiverse.scramble.controller.tor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes what the controller agent reads from Tor's control port (Tor is a large program
 * talking to the network; its replies are input like any other): for any bytes, delivered in
 * reads of any size, {@link TorReplyReader} returns replies within its limits and ends with a
 * {@link TorControlException}; each reply written back in the control-spec format reads back
 * the same; and the values the client parses out of replies ({@link BootstrapPhase}, keyword
 * arguments) are parsed or refused with that one exception. Seeds:
 * {@code src/test/resources/.../TorReplyReaderFuzzTestInputs/readsRepliesWithinLimits/}.
 */
class TorReplyReaderFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void readsRepliesWithinLimits(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        // The first byte picks the read size, as the socket's reads would vary.
        int chunk = 1 + (input[0] & 0x3f);
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        List<TorReply> replies = new ArrayList<>();
        TorReplyReader reader = new TorReplyReader(source(bytes, chunk));
        while (true) {
            try {
                replies.add(reader.read());
            } catch (TorControlException end) {
                break;
            }
            assertTrue(replies.size() <= bytes.length);
        }
        for (TorReply reply : replies) {
            assertTrue(reply.status() >= 200 && reply.status() <= 699, "" + reply.status());
            assertFalse(reply.lines().isEmpty());
            assertTrue(reply.lines().size() <= TorReplyReader.MAX_LINES);
            assertTrue(reply.lines().get(reply.lines().size() - 1).data().isEmpty());
            byte[] written = written(reply);
            try {
                assertEquals(reply, new TorReplyReader(source(written, chunk)).read());
            } catch (TorControlException e) {
                throw new AssertionError("a reply written back does not read back: " + e.getMessage(), e);
            }
            for (TorReply.Line line : reply.lines()) {
                try {
                    BootstrapPhase.KeywordArgs.parse(line.text());
                } catch (TorControlException refused) {
                    // an unterminated quoted string: refused with a reason
                }
                try {
                    BootstrapPhase phase = BootstrapPhase.parse(line.text());
                    assertTrue(phase.progress() >= 0 && phase.progress() <= 100);
                } catch (TorControlException refused) {
                    // not a bootstrap status line
                }
            }
        }
    }

    private static TorReplyReader.Source source(byte[] bytes, int chunk) {
        int[] pos = {0};
        return buffer -> {
            if (pos[0] >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(chunk, buffer.length), bytes.length - pos[0]);
            System.arraycopy(bytes, pos[0], buffer, 0, n);
            pos[0] += n;
            return n;
        };
    }

    /** The reply as Tor would send it: "NNN-" / "NNN+" (with a dot-stuffed data block) / "NNN ". */
    private static byte[] written(TorReply reply) {
        StringBuilder out = new StringBuilder();
        List<TorReply.Line> lines = reply.lines();
        for (int i = 0; i < lines.size(); i++) {
            TorReply.Line line = lines.get(i);
            boolean last = i == lines.size() - 1;
            char sep = last ? ' ' : line.data().isPresent() ? '+' : '-';
            out.append(reply.status()).append(sep).append(line.text()).append("\r\n");
            if (line.data().isPresent()) {
                String d = line.data().get();
                if (!d.isEmpty()) {
                    for (String dataLine : d.substring(0, d.length() - 1).split("\n", -1)) {
                        out.append(dataLine.startsWith(".") ? "." : "")
                                .append(dataLine)
                                .append("\r\n");
                    }
                }
                out.append(".\r\n");
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
