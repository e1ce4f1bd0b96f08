package org.multiverse.scramble.controller.tor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TorReplyReaderTest {
    static TorReplyReader reader(String text) {
        ByteArrayInputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        // Feed one byte at a time: replies must parse across arbitrary read boundaries.
        return new TorReplyReader(buffer -> {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            buffer[0] = (byte) b;
            return 1;
        });
    }

    @Test
    void readsMidDataAndEndLines() throws Exception {
        TorReply reply = reader("250-PROTOCOLINFO 1\r\n250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE=\"/x/c\"\r\n"
                        + "250+config-text=\r\nControlPort 1\r\n..dotted\r\n.\r\n250 OK\r\n")
                .read();
        assertEquals(250, reply.status());
        assertEquals(4, reply.lines().size());
        assertEquals("PROTOCOLINFO 1", reply.lines().get(0).text());
        assertEquals(
                Optional.of("ControlPort 1\n.dotted\n"), reply.lines().get(2).data());
        assertEquals("OK", reply.endText());
        assertTrue(reply.isOk());
    }

    @Test
    void readsConsecutiveRepliesAndEvents() throws Exception {
        TorReplyReader r = reader("650 SIGNAL NEWNYM\r\n510 Unrecognized command \"FOO\"\r\n");
        TorReply event = r.read();
        assertTrue(event.isEvent());
        TorReply error = r.read();
        assertEquals(510, error.status());
        assertEquals("510 Unrecognized command \"FOO\"", error.summary());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("25\r\n", "malformed reply line (shorter than 4 characters)"),
                Arguments.of("2x0 OK\r\n", "malformed reply line: status is not three digits"),
                Arguments.of("999 OK\r\n", "malformed reply line: status 999 out of range"),
                Arguments.of("250*OK\r\n", "malformed reply line: separator '*' after status 250"),
                Arguments.of("250-a\r\n251 OK\r\n", "reply mixes status codes 250 and 251"),
                Arguments.of("250 OK\n", "malformed reply: line ends with LF instead of CRLF"),
                Arguments.of("250 OK\rX", "malformed reply: CR not followed by LF"),
                Arguments.of("250-partial\r\n", "control connection closed by Tor"),
                Arguments.of("250+data\r\nno end", "control connection closed by Tor"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void refusesMalformedReplies(String text, String message) {
        assertEquals(
                message,
                assertThrows(TorControlException.class, () -> reader(text).read())
                        .getMessage());
    }

    @Test
    void refusesNulAndOversizedInput() {
        assertEquals(
                "malformed reply: NUL byte",
                assertThrows(
                                TorControlException.class,
                                () -> reader("250 O\0K\r\n").read())
                        .getMessage());
        assertEquals(
                "reply line longer than 16384 bytes",
                assertThrows(
                                TorControlException.class,
                                () -> reader("250 " + "x".repeat(20000) + "\r\n")
                                        .read())
                        .getMessage());
        String manyLines = "250-x\r\n".repeat(TorReplyReader.MAX_LINES + 1) + "250 OK\r\n";
        assertEquals(
                "reply has more than 4096 lines",
                assertThrows(TorControlException.class, () -> reader(manyLines).read())
                        .getMessage());
        String bigData = "250+x=\r\n" + ("y".repeat(1000) + "\r\n").repeat(1100) + ".\r\n250 OK\r\n";
        assertEquals(
                "reply larger than 1048576 characters",
                assertThrows(TorControlException.class, () -> reader(bigData).read())
                        .getMessage());
    }

    @Test
    void parsesBootstrapPhase() throws Exception {
        BootstrapPhase p = BootstrapPhase.parse("NOTICE BOOTSTRAP PROGRESS=0 TAG=starting SUMMARY=\"Starting\"");
        assertEquals(0, p.progress());
        assertEquals("starting", p.tag());
        assertEquals("Starting", p.summary());
        BootstrapPhase done =
                BootstrapPhase.parse("NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY=\"Done \\\"quoted\\\"\"");
        assertEquals("Done \"quoted\"", done.summary());
        assertEquals(
                "unexpected bootstrap status: not 'SEVERITY BOOTSTRAP ...'",
                assertThrows(TorControlException.class, () -> BootstrapPhase.parse("garbage"))
                        .getMessage());
        assertEquals(
                "bootstrap status without a PROGRESS of 0..100",
                assertThrows(
                                TorControlException.class,
                                () -> BootstrapPhase.parse("NOTICE BOOTSTRAP PROGRESS=101 TAG=x"))
                        .getMessage());
        assertEquals(
                "unterminated quoted string for SUMMARY",
                assertThrows(
                                TorControlException.class,
                                () -> BootstrapPhase.parse("NOTICE BOOTSTRAP PROGRESS=1 SUMMARY=\"open"))
                        .getMessage());
        assertEquals(
                "unexpected bootstrap severity",
                assertThrows(TorControlException.class, () -> BootstrapPhase.parse("EVIL BOOTSTRAP PROGRESS=1"))
                        .getMessage());
    }
}
