package org.multiverse.scramble.rtos.link;

import org.multiverse.scramble.protocol.rtos.v1.Error;
import org.multiverse.scramble.rtos.link.RtosException.Kind;

/** A node's Error message as the exception kind the person sees. */
final class NodeErrors {

    private NodeErrors() {}

    static RtosException toException(String node, Error e) {
        Kind kind = switch (e.getCode()) {
            case UNKNOWN_CHANNEL -> Kind.NOT_FOUND;
            case BAD_ARGUMENT, BAD_MESSAGE -> Kind.INVALID_ARGUMENT;
            case DEADLINE_MISSED -> Kind.DEADLINE_MISSED;
            default -> Kind.REFUSED_BY_NODE;
        };
        return new RtosException(
                kind,
                "node " + node + " refused: " + e.getCode()
                        + (e.getDetail().isEmpty() ? "" : " (" + printable(e.getDetail()) + ")"),
                e.getCode());
    }

    /** Node text goes to a person's terminal: keep printable ASCII only (no escapes). */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return b.toString();
    }
}
