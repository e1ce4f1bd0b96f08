package org.multiverse.scramble.protocol.agent;

import org.multiverse.scramble.protocol.agent.audit.AuditRecord;

/** The plain one-line form of an audit entry, for people and grep. */
final class AuditFormat {

    private AuditFormat() {}

    static String line(AuditRecord r) {
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
