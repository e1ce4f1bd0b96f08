package org.multiverse.scramble.shell.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.v1.RtosWrite;
import org.multiverse.scramble.shell.registry.BuildContext;
import org.multiverse.scramble.shell.registry.CommandRegistry;

/**
 * {@code rtos write NODE CHANNEL VALUE [--at OFFSET]}: the value must be the 32-bit float the
 * node holds, the offset a time ahead with its unit; both are refused at parse time (so
 * {@code --dry-run} catches them) with the column of the bad word.
 */
class RtosWriteArgumentsTest {

    private final LineParser parser = new LineParser(CommandRegistry.standard());
    private static final BuildContext CONTEXT = new BuildContext() {
        @Override
        public Instant now() {
            return Instant.parse("2026-01-01T00:00:00Z");
        }

        @Override
        public byte[] signRevocation(long issuedBeforeMillis) {
            throw new AssertionError("not a root-signed command");
        }
    };

    private RtosWrite build(String line) throws Exception {
        ParsedLine p = parser.parse(line);
        return p.spec().build(p.args(), CONTEXT).getRtosWrite();
    }

    @Test
    void valuesAreTheFloatTheNodeHoldsAndNodeCommandIsLeftForSending() throws Exception {
        RtosWrite w = build("rtos write lab-sensor heater 12.5");
        assertEquals("lab-sensor", w.getNode());
        assertEquals("heater", w.getChannel());
        assertEquals(12.5, w.getValue());
        assertEquals(0, w.getAtOffsetMicros());
        assertTrue(w.getNodeCommand().isEmpty(), "signed when sent, with the node's ID and the time of sending");

        // 0.1 prints as 0.1 as a float too: accepted, and sent as exactly that float.
        assertEquals((double) 0.1f, build("rtos write n c 0.1").getValue());
        assertEquals((double) -1.0e-3f, build("rtos write n c -1e-3").getValue());
        assertEquals(16777216.0, build("rtos write n c 16777216").getValue());
        assertEquals(
                (double) Float.MAX_VALUE, build("rtos write n c 3.4028235e38").getValue());
        assertEquals(
                (double) 0.10000000149011612f,
                build("rtos write n c 0.10000000149011612").getValue());
    }

    @Test
    void valuesAFloatCannotHoldAreRefusedNamingWhatTheyWouldBecome() {
        assertError("rtos write n c 0.123456789", "0.123456789 would change to 0.12345679 as a 32-bit float", 15);
        assertError("rtos write n c 16777217", "16777217 would change to 1.6777216E7", 15);
        assertError("rtos write n c 1e39", "1e39 is out of range of a 32-bit float", 15);
        assertError("rtos write n c -1e39", "out of range of a 32-bit float", 15);
        assertError("rtos write n c 1e-50", "1e-50 would change to 0.0", 15);
        assertError("rtos write n c NaN", "not a finite decimal", 15);
        assertError("rtos write n c Infinity", "not a finite decimal", 15);
        assertError("rtos write n c 0x10", "not a", 15);
        assertError("rtos write n c 1.5f", "not a finite decimal", 15);
        assertError("rtos write n c ''", "not a number", 15);
    }

    @Test
    void atTakesATimeAheadWithItsUnit() throws Exception {
        assertEquals(50_000, build("rtos write n c 1 --at +50ms").getAtOffsetMicros());
        assertEquals(50_000, build("rtos write n c 1 --at=50ms").getAtOffsetMicros());
        assertEquals(500, build("rtos write n c 1 --at +500us").getAtOffsetMicros());
        assertEquals(7, build("rtos write n c 1 --at +7µs").getAtOffsetMicros());
        assertEquals(2_000_000, build("rtos write n c 1 --at +2s").getAtOffsetMicros());
        assertEquals(60_000_000, build("rtos write n c 1 --at +60s").getAtOffsetMicros());
        assertEquals(60_000_000, build("rtos write n c 1 --at +60000ms").getAtOffsetMicros());
    }

    @Test
    void malformedAndHostileOffsetsAreRefused() {
        assertError("rtos write n c 1 --at 50", "not a time ahead with its unit (+500us, +50ms, +2s)", 17);
        assertError("rtos write n c 1 --at -50ms", "not a time ahead with its unit", 17);
        assertError("rtos write n c 1 --at +1.5s", "not a time ahead with its unit", 17);
        assertError("rtos write n c 1 --at +50MS", "not a time ahead with its unit", 17);
        assertError("rtos write n c 1 --at ++5ms", "not a time ahead with its unit", 17);
        assertError("rtos write n c 1 --at +5 ms", "'+5' is not a time ahead with its unit", 17);
        assertError("rtos write n c 1 --at +0ms", "'+0ms' is not 1 us to 60 s ahead", 17);
        assertError("rtos write n c 1 --at +61s", "not 1 us to 60 s ahead", 17);
        assertError("rtos write n c 1 --at +60001ms", "not 1 us to 60 s ahead", 17);
        assertError("rtos write n c 1 --at +60000001us", "not 1 us to 60 s ahead", 17);
        assertError("rtos write n c 1 --at +99999999999s", "not 1 us to 60 s ahead", 17);
        assertError("rtos write n c 1 --at +999999999999s", "not a time ahead with its unit", 17);
        assertError("rtos write n c 1 --at \u001b[2J5ms", "'?[2J5ms' is not a time ahead", 17);
        assertError("rtos write n c 1 --at-offset 5000", "has no option --at-offset", 17);
    }

    private void assertError(String line, String expected, int column) {
        ParseException e = assertThrows(ParseException.class, () -> parser.parse(line), line);
        assertTrue(e.getMessage().contains(expected), "for '" + line + "': " + e.getMessage());
        if (column >= 0) {
            assertEquals(column, e.column(), e.getMessage());
        }
    }
}
