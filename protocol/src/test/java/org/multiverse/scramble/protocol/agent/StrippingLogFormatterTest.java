package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Agents' log lines quote guests, files and senders; a log read on a terminal must stay inert. */
class StrippingLogFormatterTest {

    @Test
    void aLogLineQuotingHostileTextCarriesNoEscape() {
        LogRecord record = new LogRecord(
                Level.WARNING, "portal web: guest said \u001b]52;c;ZXZpbA==\u0007\u001b[2J\u009b1m\u202eevil\u001bP");
        record.setThrown(new IllegalStateException("thrown \u001b[31mred"));
        String out = new StrippingLogFormatter().format(record);
        AgentCommandLineTest.assertNoTerminalControl(out);
        assertTrue(out.contains("guest said evil"), out);
        assertTrue(out.contains("thrown red"), out);
        assertFalse(out.contains("ZXZpbA"), out);
    }
}
