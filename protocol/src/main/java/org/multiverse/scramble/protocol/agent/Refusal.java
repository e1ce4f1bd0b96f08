package org.multiverse.scramble.protocol.agent;

import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.RejectCode;
import org.multiverse.scramble.suite.cert.SessionCertificate;

/**
 * Why a step of the pipeline refused an envelope. Thrown by the steps, caught once by
 * {@link AgentCore}, which audits it and answers: a sealed error when the envelope could be
 * attributed to an authorised session (the person learns exactly why), otherwise only a
 * {@code Rejected} frame with a coarse code (an outsider learns nothing).
 */
final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;

    final ErrorCode code;
    final boolean attributable;
    final RejectCode rejectCode;
    final long retryAfterMillis;
    /** The sender's certificate, for sealing; null when unattributable. */
    SessionCertificate certificate;

    private Refusal(
            ErrorCode code, String message, boolean attributable, RejectCode rejectCode, long retryAfterMillis) {
        super(message, null, false, false);
        this.code = code;
        this.attributable = attributable;
        this.rejectCode = rejectCode;
        this.retryAfterMillis = retryAfterMillis;
    }

    /** Attaches the verified sender's certificate, so the refusal can be sealed to it. */
    Refusal from(SessionCertificate sender) {
        this.certificate = sender;
        return this;
    }

    /** A refusal the sender is told about, sealed to their session key. */
    static Refusal sealed(ErrorCode code, String message) {
        return new Refusal(code, message, true, RejectCode.REJECT_CODE_UNSPECIFIED, 0);
    }

    /** A rate-limit refusal that says when to retry. */
    static Refusal rateLimited(String message, long retryAfterMillis) {
        return new Refusal(ErrorCode.RATE_LIMITED, message, true, RejectCode.REJECT_CODE_UNSPECIFIED, retryAfterMillis);
    }

    /** A refusal of input that cannot be attributed to an authorised key. */
    static Refusal unattributable(ErrorCode auditCode, RejectCode rejectCode, String auditReason) {
        return new Refusal(auditCode, auditReason, false, rejectCode, 0);
    }
}
