package org.multiverse.scramble.protocol.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EscapeStripperTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            CSI colour                 | a\u001b[31mred\u001b[0mb                 | aredb
            CSI cursor and erase       | x\u001b[2J\u001b[H\u001b[10;20Hy        | xy
            CSI private mode           | '\u001b[?1049hscreen\u001b[?25l'          | screen
            OSC title with BEL         | n\u001b]0;owned\u0007ame                   | name
            OSC title with ST          | n\u001b]2;owned\u001b\\\\ame               | name
            OSC 52 clipboard write     | a\u001b]52;c;ZXZpbA==\u0007b               | ab
            OSC 8 hyperlink            | '\u001b]8;;http://evil\u001b\\\\click\u001b]8;;\u001b\\\\' | click
            DCS string                 | a\u001bPq#0;2;0;0;0\u001b\\\\b             | ab
            APC and PM strings         | a\u001b_hidden\u001b\\\\b\u001b^pm\u001b\\\\c | abc
            SOS string                 | a\u001bXsos\u0007b                         | ab
            unterminated OSC           | safe\u001b]0;never ends                    | safe
            ESC inside a string        | a\u001b]0;t\u001b[1mb                       | ab
            two-char escapes           | a\u001bcb\u001b(Bc\u001b#8d\u001b7e         | abcde
            lone ESC at end            | end\u001b                                  | end
            C1 CSI                     | a\u009b2Jb                                 | ab
            C1 OSC terminated by C1 ST | a\u009d0;t\u009cb                          | ab
            C1 DCS APC PM SOS          | a\u0090d\u009cb\u009fa\u0007c\u009ep\u009cd\u0098s\u009ce | abcde
            other C1 controls          | a\u0085b\u008dc                            | abc
            C0 controls and DEL        | a\u0000b\u0007c\u0001d\u001fe\u007ff              | abcdef
            tab kept                   | a\tb                                       | a\tb
            bidi override              | file\u202egnp.exe                          | filegnp.exe
            bidi isolates and marks    | a\u2066b\u2069c\u200ed\u200fe\u061cf        | abcdef
            unicode text kept          | café ünïcode 名前                          | café ünïcode 名前
            broken CSI resumes         | a\u001b[12\u0007b                          | ab
            broken CSI keeps text      | a\u001b[1é                                 | aé
            """)
    void stripsEveryKindOfSequence(String what, String input, String expected) {
        assertEquals(unescape(expected), EscapeStripper.strip(unescape(input)), what);
        assertEquals(unescape(expected), EscapeStripper.stripKeepingNewlines(unescape(input)), what);
    }

    @Test
    void consoleOutputKeepsItsLinesButLosesCsiOscAndControls() {
        assertEquals(
                "SeaBIOS (version 1.16)\nBooting",
                EscapeStripper.stripKeepingNewlines(
                        "\u001bc\u001b[?7l\u001b[2J\u001b[0mSeaBIOS (version 1.16)\r\n\u001b[1;31mBoot\u001b[0ming"));
        assertEquals("title gone", EscapeStripper.stripKeepingNewlines("\u001b]0;pwned\u0007title gone"));
        assertEquals("st ok", EscapeStripper.stripKeepingNewlines("\u001b]2;x\u001b\\st ok"));
        assertEquals("dcs", EscapeStripper.stripKeepingNewlines("\u001bPq#0;2;0;0;0\u001b\\dcs"));
        assertEquals("a\tb", EscapeStripper.stripKeepingNewlines("a\tb\u0008\u0000\u007f"));
        assertEquals("c1", EscapeStripper.stripKeepingNewlines("\u009b31mc1\u0085"));
        assertEquals("charset", EscapeStripper.stripKeepingNewlines("\u001b(Bcharset"));
    }

    @Test
    void brokenAndTruncatedSequencesDoNotSwallowText() {
        assertEquals("", EscapeStripper.stripKeepingNewlines("\u001b"));
        assertEquals("", EscapeStripper.stripKeepingNewlines("\u001b["));
        assertEquals("", EscapeStripper.stripKeepingNewlines("\u001b]unterminated title"));
        assertEquals("\nnext", EscapeStripper.stripKeepingNewlines("\u001b[12\nnext"));
        assertEquals("next", EscapeStripper.strip("\u001b[12\nnext"));
        assertEquals("keep", EscapeStripper.stripKeepingNewlines("\u001b[\u0001keep"));
        assertEquals("é ünïcode", EscapeStripper.stripKeepingNewlines("é ünïcode"));
    }

    @Test
    void newlinesAreControlsButLinesSplitsOnThem() {
        assertEquals("ab", EscapeStripper.strip("a\nb"));
        assertEquals("ab", EscapeStripper.strip("a\r\nb"));
        assertEquals("a\nb", EscapeStripper.stripKeepingNewlines("a\r\nb"));
        assertEquals("ab", EscapeStripper.stripKeepingNewlines("a\rb"));
        assertEquals(List.of("one", "two", "three"), EscapeStripper.lines("one\r\ntwo\u001b[1m\nthree\n"));
        assertEquals(List.of("", "x"), EscapeStripper.lines("\nx"));
        assertEquals(List.of(), EscapeStripper.lines(""));
        assertEquals(List.of(), EscapeStripper.lines(null));
        assertEquals("", EscapeStripper.strip(null));
        assertEquals("", EscapeStripper.stripKeepingNewlines(null));
    }

    /** Issue 14: one unterminated ESC P on a guest's console hid all but 9 of 1,011 later lines. */
    @Test
    void anUnterminatedStringIsResetAtTheEndOfItsLine() {
        StringBuilder console = new StringBuilder("boot\u001bPq#0;2;0;0;0 never terminated\r\n");
        for (int i = 1; i <= 1011; i++) {
            console.append("line ").append(i).append("\r\n");
        }
        List<String> lines = EscapeStripper.lines(console.toString());
        assertEquals(1012, lines.size());
        assertEquals("boot", lines.get(0));
        assertEquals("line 1011", lines.get(1011));
        assertEquals(
                1013, EscapeStripper.stripKeepingNewlines(console.toString()).split("\n", -1).length);
        for (String opener :
                new String[] {"\u001b]0;", "\u001bP", "\u001b_", "\u001b^", "\u001bX", "\u009d", "\u0090"}) {
            assertEquals("a\nb", EscapeStripper.stripKeepingNewlines("a" + opener + "hidden\nb"), escape(opener));
            assertEquals("ab", EscapeStripper.strip("a" + opener + "hidden\nb"), escape(opener));
            assertEquals("a\nb", EscapeStripper.stripKeepingNewlines("a" + opener + "hidden\r\nb"), escape(opener));
        }
    }

    @Test
    void anEscapeCutShortByALineEndKeepsTheLineEnd() {
        assertEquals("end\nnext", EscapeStripper.stripKeepingNewlines("end\u001b\nnext"));
        assertEquals("\nx", EscapeStripper.stripKeepingNewlines("\u001b(\nx"));
        assertEquals("endnext", EscapeStripper.strip("end\u001b\nnext"));
        assertEquals("ab", EscapeStripper.strip("a\u001b\u001b[1mb"), "an ESC cut short by another ESC");
    }

    @Test
    void randomHostileInputNeverLeavesAnEscapeOrControl() {
        Random r = new Random(42);
        char[] alphabet = {
            '\u001b', '[', ']', 'P', '\\', '\u0007', '\u009b', '\u009d', '\u009c', ';', '0', 'm', 'a', '\n', '\r', '\t',
            '\u0085', '\u202e', '\u2066', 'é'
        };
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 20_000; i++) {
                StringBuilder s = new StringBuilder();
                int n = r.nextInt(64);
                for (int k = 0; k < n; k++) {
                    s.append(alphabet[r.nextInt(alphabet.length)]);
                }
                assertNoControl(EscapeStripper.strip(s.toString()), s.toString(), false);
                assertNoControl(EscapeStripper.stripKeepingNewlines(s.toString()), s.toString(), true);
            }
        });
    }

    @Test
    void hugeInputIsLinear() {
        String big = "\u001b[31m".repeat(200_000) + "x";
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertEquals("x", EscapeStripper.strip(big)));
        String unterminated = "\u001b]" + "a".repeat(1_000_000);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertEquals("", EscapeStripper.strip(unterminated)));
        String brokenCsis = "\u001b[1\n".repeat(200_000);
        assertTimeoutPreemptively(
                Duration.ofSeconds(2),
                () -> assertEquals("\n".repeat(200_000), EscapeStripper.stripKeepingNewlines(brokenCsis)));
    }

    private static void assertNoControl(String out, String in, boolean newlineAllowed) {
        for (char c : out.toCharArray()) {
            boolean control = (c < 0x20 && c != '\t' && !(c == '\n' && newlineAllowed))
                    || (c >= 0x7f && c <= 0x9f)
                    || c == '\u202e'
                    || c == '\u2066';
            if (control) {
                throw new AssertionError(
                        "control U+" + Integer.toHexString(c) + " left in " + escape(out) + " from " + escape(in));
            }
        }
    }

    /** The CSV source text block turns \\\\ into two backslashes; they stand for one. */
    private static String unescape(String s) {
        return s.replace("\\\\", "\\");
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c >= 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
