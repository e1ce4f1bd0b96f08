package org.multiverse.scramble.host.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EscapeStripperTest {

    @Test
    void stripsCsiOscAndControls() {
        assertEquals("SeaBIOS (version 1.16)\nBooting", EscapeStripper.strip(
                "\u001bc\u001b[?7l\u001b[2J\u001b[0mSeaBIOS (version 1.16)\r\n\u001b[1;31mBoot\u001b[0ming"));
        assertEquals("title gone", EscapeStripper.strip("\u001b]0;pwned\u0007title gone"));
        assertEquals("st ok", EscapeStripper.strip("\u001b]2;x\u001b\\st ok"));
        assertEquals("dcs", EscapeStripper.strip("\u001bPq#0;2;0;0;0\u001b\\dcs"));
        assertEquals("a\tb", EscapeStripper.strip("a\tb\u0008\u0000\u007f"));
        assertEquals("c1", EscapeStripper.strip("\u009b31mc1\u0085"));
        assertEquals("charset", EscapeStripper.strip("\u001b(Bcharset"));
    }

    @Test
    void brokenAndTruncatedSequencesDoNotSwallowText() {
        assertEquals("", EscapeStripper.strip("\u001b"));
        assertEquals("", EscapeStripper.strip("\u001b["));
        assertEquals("", EscapeStripper.strip("\u001b]unterminated title"));
        assertEquals("\nnext", EscapeStripper.strip("\u001b[12\nnext"));
        assertEquals("keep", EscapeStripper.strip("\u001b[\u0001keep"));
        assertEquals("é ünïcode", EscapeStripper.strip("é ünïcode"));
    }
}
