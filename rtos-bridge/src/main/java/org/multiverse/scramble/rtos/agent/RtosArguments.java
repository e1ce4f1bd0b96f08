package org.multiverse.scramble.rtos.agent;

import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.rtos.wire.Bounds;

/**
 * Checks of every {@code rtos} command argument, before the bridge touches a line. Messages
 * never echo the raw input (it may hold terminal escapes); they say what is allowed.
 */
final class RtosArguments {

    /** Streams per command at most this fast: a 1 kHz stream is what a 921600-baud UART carries. */
    static final int MAX_STREAM_HZ = 1_000;
    /**
     * A stream holds one of the agent core's workers for its whole run (the core drains for
     * 30 s at shutdown); a minute bounds both. Longer recordings are several commands.
     */
    static final int MAX_STREAM_SECONDS = 60;
    /** A deadline further than this is a typo, and the command's worker waits until then. */
    static final long MAX_AT_OFFSET_MICROS = 60_000_000L;
    /**
     * An encoded SignedCommand is at most ~140 bytes (64-byte body, 64-byte signature, the
     * session ref); anything much larger is not one.
     */
    static final int MAX_NODE_COMMAND_BYTES = 256;

    private RtosArguments() {}

    /** A node name as {@code --node NAME=...} allows it. */
    static String node(String name) throws CommandException {
        if (name.isEmpty()) {
            throw invalid("a node name is required");
        }
        if (name.length() > Bounds.MAX_NODE_ID || !Bounds.NAME.matcher(name).matches()) {
            throw invalid("a node name is 1.." + Bounds.MAX_NODE_ID + " of [a-z0-9_-]");
        }
        return name;
    }

    /** A channel name as a node may declare it (WIRE.md section 3). */
    static String channel(String name) throws CommandException {
        if (name.isEmpty()) {
            throw invalid("a channel name is required");
        }
        if (name.length() > Bounds.MAX_CHANNEL_NAME
                || !Bounds.NAME.matcher(name).matches()) {
            throw invalid("a channel name is 1.." + Bounds.MAX_CHANNEL_NAME + " of [a-z0-9_-]");
        }
        return name;
    }

    /** A value the node can take: finite as a double and as the float on the wire. */
    static double value(double v) throws CommandException {
        if (!Double.isFinite(v) || !Float.isFinite((float) v)) {
            throw invalid("the value must be a finite number within float range");
        }
        return v;
    }

    /** The deadline offset; proto uint64, so a huge value arrives negative. */
    static long atOffsetMicros(long offset) throws CommandException {
        if (offset < 0 || offset > MAX_AT_OFFSET_MICROS) {
            throw invalid("--at must be 0.." + MAX_AT_OFFSET_MICROS / 1_000_000 + " s ahead");
        }
        return offset;
    }

    /** The person's signed node command: the bridge never makes one on their behalf. */
    static byte[] nodeCommand(byte[] encoded) throws CommandException {
        if (encoded.length == 0) {
            throw invalid("rtos write needs node_command signed by the shell with the person's session"
                    + " key (the bridge cannot sign for the person)");
        }
        if (encoded.length > MAX_NODE_COMMAND_BYTES) {
            throw invalid("node_command of " + encoded.length + " bytes: at most " + MAX_NODE_COMMAND_BYTES);
        }
        return encoded;
    }

    /** Stream rate, proto uint32 (a huge value arrives negative). */
    static int hz(int hz) throws CommandException {
        if (hz < 1 || hz > MAX_STREAM_HZ) {
            throw invalid("hz must be 1.." + MAX_STREAM_HZ);
        }
        return hz;
    }

    static int seconds(int seconds) throws CommandException {
        if (seconds < 1 || seconds > MAX_STREAM_SECONDS) {
            throw invalid("seconds must be 1.." + MAX_STREAM_SECONDS);
        }
        return seconds;
    }

    private static CommandException invalid(String message) {
        return new CommandException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
