package org.multiverse.scramble.shell.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.shell.ShellFailure;

class ScriptSourceTest {

    @Test
    void commentsContinuationsShebangAndSemicolons() throws Exception {
        String script = """
                #!/usr/bin/env -S scramble-shell -f
                # set up
                portal define web \\
                    --template application/browser/firefox   # the browser
                portal start web; portal list

                agent ping --payload 'a # not a comment; nor this'
                """;
        List<ScriptLine> lines =
                ScriptSource.fromStream("s.scr", new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
        assertEquals(
                List.of(
                        new ScriptLine("s.scr", 3, "portal define web      --template application/browser/firefox"),
                        new ScriptLine("s.scr", 5, "portal start web"),
                        new ScriptLine("s.scr", 5, "portal list"),
                        new ScriptLine("s.scr", 7, "agent ping --payload 'a # not a comment; nor this'")),
                lines);
    }

    @Test
    void commandTextNumbersCommands() throws Exception {
        assertEquals(
                List.of(new ScriptLine("-c", 1, "agent ping"), new ScriptLine("-c", 2, "portal list")),
                ScriptSource.fromCommandText("agent ping; portal list"));
    }

    @Test
    void brokenLinesFailInTheirTurnAndDanglingContinuationIsAnError() throws Exception {
        List<ScriptLine> lines = ScriptSource.fromCommandText("agent ping; agent ping --payload 'open");
        assertEquals(2, lines.size());
        ShellFailure e = assertThrows(
                ShellFailure.class,
                () -> ScriptSource.fromStream(
                        "x", new ByteArrayInputStream("agent ping \\".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().startsWith("x:1: the last line ends with a continuation"), e.getMessage());
        assertEquals(
                "portal list \\\\",
                ScriptSource.fromStream(
                                "y", new ByteArrayInputStream("portal list \\\\\n".getBytes(StandardCharsets.UTF_8)))
                        .get(0)
                        .text(),
                "an escaped backslash continues nothing");
    }

    @Test
    void oversizedScriptIsRefused() {
        byte[] big = ("agent ping\n".repeat(ScriptSource.MAX_SCRIPT_BYTES / 10)).getBytes(StandardCharsets.UTF_8);
        ShellFailure e =
                assertThrows(ShellFailure.class, () -> ScriptSource.fromStream("big", new ByteArrayInputStream(big)));
        assertTrue(e.getMessage().contains("not a script"));
    }
}
