package org.multiverse.scramble.protocol.agent.audit;

import org.multiverse.scramble.protocol.v1.AuditDecision;

/**
 * The words the audit log's files use for decisions ({@code accepted}, {@code done}, ...) and the
 * wire's {@link AuditDecision}: the file format stays readable text, the wire stays typed.
 */
public final class AuditDecisions {

    private AuditDecisions() {}

    /** The word written to the audit log; exhaustive, so a decision added to results.proto needs one. */
    public static String text(AuditDecision decision) {
        return switch (decision) {
            case AUDIT_DECISION_ACCEPTED -> "accepted";
            case AUDIT_DECISION_DONE -> "done";
            case AUDIT_DECISION_REFUSED -> "refused";
            case AUDIT_DECISION_DUPLICATE -> "duplicate";
            case AUDIT_DECISION_RELAYED -> "relayed";
            case AUDIT_DECISION_SUMMARY -> "summary";
            case AUDIT_DECISION_UNDELIVERED -> "undelivered";
            case AUDIT_DECISION_QUERIES -> "queries";
            case AUDIT_DECISION_UNSPECIFIED, UNRECOGNIZED -> "unknown";
        };
    }

    /** The decision a logged word names; {@code AUDIT_DECISION_UNSPECIFIED} for any other word. */
    public static AuditDecision parse(String word) {
        for (AuditDecision d : AuditDecision.values()) {
            if (d != AuditDecision.UNRECOGNIZED
                    && d != AuditDecision.AUDIT_DECISION_UNSPECIFIED
                    && text(d).equals(word)) {
                return d;
            }
        }
        return AuditDecision.AUDIT_DECISION_UNSPECIFIED;
    }
}
