package org.multiverse.scramble.protocol.agent;

import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.text.EscapeStripper;

/**
 * How {@code audit tail} prints an entry. An entry quotes what senders sent (a route name, a
 * refusal's reason), so neither form can put a control character on the operator's terminal.
 */
final class AuditFormat {

    private AuditFormat() {}

    /** The plain one-line form, for people and grep, stripped of every escape and control. */
    static String line(AuditRecord r) {
        return EscapeStripper.strip(rawLine(r));
    }

    /**
     * The entry as one JSON object with every character outside printable ASCII written as a
     * {@code \}{@code uXXXX} escape: the same JSON value, exact for scripts, inert on a terminal
     * (C1 controls and bidi overrides pass through ordinary JSON encoders raw).
     */
    static String json(AuditRecord r) {
        String json = AuditLog.toJsonLine(r);
        StringBuilder b = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                // Only inside strings: outside them JSON has nothing but ASCII punctuation.
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static String rawLine(AuditRecord r) {
        String who = r.identity().length() > 12 ? r.identity().substring(0, 12) : r.identity();
        StringBuilder b = new StringBuilder();
        b.append(r.index())
                .append(' ')
                .append(r.time())
                .append(' ')
                .append(who)
                .append(' ')
                .append(r.command())
                .append(' ')
                .append(r.decision());
        if (!r.result().isEmpty()) {
            b.append(' ').append(r.result());
        }
        if (r.durationMs() > 0) {
            b.append(' ').append(r.durationMs()).append("ms");
        }
        if (!r.reason().isEmpty()) {
            b.append(" — ").append(r.reason());
        }
        return b.toString();
    }
}
