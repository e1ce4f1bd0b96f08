package org.multiverse.scramble.protocol.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reader shared by the host agent's portal definitions (flat) and the shell's
 * {@code shell.toml} (with {@code [agents]}): the syntax cases of both former parsers run here.
 */
class TomlSubsetTest {

    /** A caller's own exception, as DefinitionException and ShellFailure are. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;

        Refused(String source, int line, String reason) {
            super(source + ":" + line + ": " + reason);
            this.line = line;
        }
    }

    private static Map<String, TomlEntry> flat(String text) throws Refused {
        return TomlSubset.parse("f.toml", text, Refused::new);
    }

    private static Map<String, TomlEntry> agents(String text) throws Refused {
        return TomlSubset.parse("shell.toml", text, Set.of("agents"), Refused::new);
    }

    @Test
    void everyValueKindIsRead() throws Exception {
        Map<String, TomlEntry> e = flat("""
                # a comment
                basic    = "q \\" b \\\\ \\u00e9 \\n\\t"
                literal  = 'C:\\no\\escapes'   # kept as written
                number   = 2_048
                negative = -7
                yes      = true
                no       = false
                list     = ["a", 'b',]
                empty    = []
                """);
        assertEquals("q \" b \\ \u00e9 \n\t", e.get("basic").value());
        assertEquals("C:\\no\\escapes", e.get("literal").value());
        assertEquals(2048L, e.get("number").value());
        assertEquals(-7L, e.get("negative").value());
        assertEquals(Boolean.TRUE, e.get("yes").value());
        assertEquals(Boolean.FALSE, e.get("no").value());
        assertEquals(List.of("a", "b"), e.get("list").value());
        assertEquals(List.of(), e.get("empty").value());
        assertEquals(
                List.of("basic", "literal", "number", "negative", "yes", "no", "list", "empty"),
                List.copyOf(e.keySet()),
                "file order");
        assertEquals(new TomlEntry("", "number", 2048L, 4), e.get("number"));
    }

    @Test
    void windowsLineEndsAreLineEnds() throws Exception {
        assertEquals("x", flat("a = \"x\"\r\nb = 1\r\n").get("a").value());
    }

    @Test
    void tablesGroupKeysWhereTheCallerAllowsThem() throws Exception {
        Map<String, TomlEntry> e = agents("""
                top = "above every table"
                [agents]   # the agents
                host  = "unix:/run/multiverse/host.sock"
                trust = ["scr1a", "scr1b"]
                """);
        assertEquals(List.of("top", "agents.host", "agents.trust"), List.copyOf(e.keySet()));
        TomlEntry host = e.get("agents.host");
        assertEquals("agents", host.table());
        assertEquals("host", host.key());
        assertEquals(3, host.line());
        assertEquals("", e.get("top").table());
    }

    /** The host agent's cases (formerly DefinitionParserTest against host-agent's TomlSubset). */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "[portal]                         | tables ([...]) are not used",
                "cpus 2                           | expected '=' after key 'cpus'",
                "\"quoted\" = 1                     | quoted keys are not used",
                "a.b = 1                          | dotted keys are not used",
                "image = \"unterminated            | string is not closed",
                "image = \"bad \\q escape\"         | unknown escape \\q",
                // Fuzz finding: the escaped character went raw into the message (ESC, or any control).
                "image = \"bad \\\u001b[31m\"         | unknown escape \\U+001B in a string",
                "image = \"lone \\                 | string ends in a lone backslash",
                "image = \"\\u12\"                  | \\u needs four hex digits",
                "image = \"\\u12zz\"                | \\u needs four hex digits, found \"12zz\"",
                "image = \"\"\"multi\"\"\"           | multi-line strings",
                "channels = [\"org.multiverse.a\"  | is not closed on this line",
                "channels = [1]                   | may hold only strings",
                "channels = [\"a\" \"b\"]             | expected ',' or ']' in the array of 'channels'",
                "cpus = 1 2                       | unexpected text after the value",
                "cpus = 99999999999999999999      | out of range",
                "cpus = 1.5                       | is not a string, integer, boolean or array",
                "cpus = 007                       | is not a string, integer, boolean or array",
                "cpus = 1979-05-27                | is not a string, integer, boolean or array",
                "cpus =                           | has no value",
                "Name = \"x\"                       | expected a key",
                "_x = 1                           | expected a key",
                "9p = 1                           | expected a key",
                "a-b = 1                          | expected '=' after key 'a'",
            })
    void syntaxErrorsCarryFileAndLine(String line, String reason) {
        Refused e = assertThrows(Refused.class, () -> flat("# comment\n" + line + "\nname = \"x\"\n"));
        assertEquals(2, e.line, e.getMessage());
        assertTrue(e.getMessage().startsWith("f.toml:2: "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /** The shell's cases (formerly ShellToml's own line parser), and what tables add. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "[agent]                    | 1 | unknown table [agent]; only [agents] exists here",
                "[agents]\\nhost = unix:/x   | 2 | value of 'agents.host' is not a string, integer, boolean or array: \"unix:/x\" (strings need quotes)",
                "[agents]\\ntrust = [scr1]   | 2 | array of 'agents.trust' may hold only strings",
                "[agents]\\n[agents]         | 2 | table [agents] appears twice (first on line 1)",
                "[[agents]]                 | 1 | arrays of tables ([[...]]) are not used in this file",
                "[agents.x]                 | 1 | dotted table names are not used in this file",
                "[agents                    | 1 | expected ']' after [agents",
                "[agents] x                 | 1 | unexpected text after [agents]: \"x\"",
                "[\"agents\"]                 | 1 | quoted table names are not used in this file",
                "[agents]\\nhost = 'a'\\nhost = 'b' | 3 | key 'agents.host' is set twice (first on line 2)",
            })
    void tableErrorsCarryFileAndLine(String text, int line, String reason) {
        Refused e = assertThrows(Refused.class, () -> agents(text.replace("\\n", "\n") + "\n"));
        assertEquals("shell.toml:" + line + ": " + reason, e.getMessage());
    }

    @Test
    void theSameKeyInDifferentTablesIsNoDuplicate() throws Exception {
        Map<String, TomlEntry> e = TomlSubset.parse("t", "a = 1\n[x]\na = 2\n", Set.of("x"), Refused::new);
        assertEquals(Set.of("a", "x.a"), e.keySet());
    }

    @Test
    void duplicateKeysNameBothLines() {
        Refused e = assertThrows(Refused.class, () -> flat("cpus = 1\nname = \"n\"\ncpus = 2\n"));
        assertEquals("f.toml:3: key 'cpus' is set twice (first on line 1)", e.getMessage());
    }

    @Test
    void controlCharactersByteOrderMarksAndOversizeAreRefused() {
        assertTrue(assertThrows(Refused.class, () -> flat("d = \"a\u0001b\"\n"))
                .getMessage()
                .contains("control character U+0001"));
        assertTrue(assertThrows(Refused.class, () -> flat("d = \"a\u007fb\"\n"))
                .getMessage()
                .contains("control character U+007F"));
        Refused big = assertThrows(Refused.class, () -> flat("x".repeat(TomlSubset.MAX_TEXT_BYTES + 1)));
        assertEquals("f.toml:0: larger than " + TomlSubset.MAX_TEXT_BYTES + " bytes", big.getMessage());
        assertTrue(assertThrows(Refused.class, () -> flat("# " + "x".repeat(TomlSubset.MAX_LINE_CHARS)))
                .getMessage()
                .contains("longer than"));
        assertTrue(assertThrows(Refused.class, () -> flat("\uFEFFa = 1\n"))
                .getMessage()
                .contains("byte order mark"));
        String many = "a = [" + "\"x\", ".repeat(TomlSubset.MAX_ARRAY_ELEMENTS + 1) + "]\n";
        assertTrue(assertThrows(Refused.class, () -> flat(many))
                .getMessage()
                .contains("has more than " + TomlSubset.MAX_ARRAY_ELEMENTS + " elements"));
    }

    @Test
    void quotedFileTextCannotForgeLinesAndIsBounded() {
        Refused e = assertThrows(Refused.class, () -> flat("a = 1 \u001b[2J" + "y".repeat(500) + "\n"));
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @Test
    void readIsBoundedStrictAboutUtf8AndLeavesAMissingFileToTheCaller(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shell.toml");
        assertThrows(NoSuchFileException.class, () -> TomlSubset.read(file, Set.of(), Refused::new));
        Files.writeString(file, "[agents]\nhost = \"unix:/h\"\n");
        assertEquals(
                "unix:/h",
                TomlSubset.read(file, Set.of("agents"), Refused::new)
                        .get("agents.host")
                        .value());
        Files.write(file, new byte[] {'a', ' ', '=', ' ', '"', (byte) 0xc3, '"', '\n'});
        assertEquals(
                file + ":0: not UTF-8 text",
                assertThrows(Refused.class, () -> TomlSubset.read(file, Set.of(), Refused::new))
                        .getMessage());
        Files.writeString(file, "#".repeat(TomlSubset.MAX_TEXT_BYTES + 1));
        assertEquals(
                file + ":0: larger than " + TomlSubset.MAX_TEXT_BYTES + " bytes",
                assertThrows(Refused.class, () -> TomlSubset.read(file, Set.of(), Refused::new))
                        .getMessage());
        Files.createDirectory(dir.resolve("dir.toml"));
        assertTrue(assertThrows(Refused.class, () -> TomlSubset.read(dir.resolve("dir.toml"), Set.of(), Refused::new))
                .getMessage()
                .contains("cannot read"));
    }
}
