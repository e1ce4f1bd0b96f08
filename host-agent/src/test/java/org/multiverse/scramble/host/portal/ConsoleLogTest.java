package org.multiverse.scramble.host.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code portal console tail} reads from a guest's console log, which the guest writes. */
class ConsoleLogTest {

    @TempDir
    Path dir;

    /** Issue 14: one unterminated ESC P from the guest hid all but 9 of 1,011 later lines. */
    @Test
    void anUnterminatedDeviceControlStringHidesNoLaterLine() throws Exception {
        StringBuilder console = new StringBuilder("login: \u001bP1$r never terminated\r\n");
        for (int i = 1; i <= 1011; i++) {
            console.append("line ")
                    .append(i)
                    .append(i % 100 == 0 ? "\u001b]0;title\u0007" : "")
                    .append("\r\n");
        }
        Path log = dir.resolve("status.out");
        Files.writeString(log, console, StandardCharsets.UTF_8);
        List<String> tail = ConsoleLog.tail(log, 1012);
        assertEquals(1012, tail.size());
        assertEquals("login: ", tail.get(0));
        assertEquals("line 1", tail.get(1));
        assertEquals("line 1000", tail.get(1000));
        assertEquals("line 1011", tail.get(1011));
        tail.forEach(l -> assertFalse(l.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)), l));
    }

    @Test
    void c1AndBidiControlsFromTheGuestAreStripped() throws Exception {
        Path log = dir.resolve("status.out");
        Files.write(log, "a\u009b2Jb\u202ec\u2066d\u0090dcs\nnext\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("abcd", "next"), ConsoleLog.tail(log, 10));
    }
}
