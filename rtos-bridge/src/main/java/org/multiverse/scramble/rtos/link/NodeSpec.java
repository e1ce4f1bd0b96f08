package org.multiverse.scramble.rtos.link;

import java.nio.file.Path;
import org.multiverse.scramble.rtos.serial.TtyLine;
import org.multiverse.scramble.rtos.wire.Bounds;

/**
 * One {@code --node NAME=/dev/ttyACM0[:baud]} of {@code rtos-bridge run}.
 *
 * @param name the bridge's name for the node (what the person types)
 * @param device its tty
 * @param baud line speed
 */
public record NodeSpec(String name, Path device, int baud) {

    /** USB-CDC ignores the rate; for a UART 921600 carries a 1 kHz stream with margin. */
    public static final int DEFAULT_BAUD = 921_600;

    public NodeSpec {
        if (name.length() > Bounds.MAX_NODE_ID || !Bounds.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("node name \"" + name + "\": 1..16 of [a-z0-9_-]");
        }
        if (!TtyLine.BAUD_RATES.contains(baud)) {
            throw new IllegalArgumentException("unsupported baud rate " + baud);
        }
    }

    /** Parses {@code NAME=PATH[:BAUD]}. */
    public static NodeSpec parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("expected NAME=/dev/ttyX[:baud], got \"" + text + "\"");
        }
        String name = text.substring(0, eq);
        String rest = text.substring(eq + 1);
        int colon = rest.lastIndexOf(':');
        int baud = DEFAULT_BAUD;
        if (colon > 0 && rest.substring(colon + 1).matches("[0-9]{1,8}")) {
            baud = Integer.parseInt(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        return new NodeSpec(name, Path.of(rest), baud);
    }
}
