package org.multiverse.scramble.protocol.agent;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.multiverse.scramble.protocol.text.EscapeStripper;

/**
 * The agents' {@code java.util.logging} lines (portals, shares, routers, nodes), formatted as
 * {@link SimpleFormatter} does and then stripped of terminal escapes: a log line can quote a
 * guest's console, a definition file or a sender's argument, and is read on a terminal. Line
 * ends are kept (a stack trace spans lines).
 */
final class StrippingLogFormatter extends SimpleFormatter {

    @Override
    public String format(LogRecord record) {
        return EscapeStripper.stripKeepingNewlines(super.format(record));
    }

    /** Puts this formatter on every handler of the root logger (the console handler by default). */
    static void install() {
        for (Handler h : Logger.getLogger("").getHandlers()) {
            h.setFormatter(new StrippingLogFormatter());
        }
    }
}
