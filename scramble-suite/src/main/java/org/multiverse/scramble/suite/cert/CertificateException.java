package org.multiverse.scramble.suite.cert;

import java.util.Objects;

/** A session certificate or revocation statement that is refused, with the typed reason. */
public final class CertificateException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a certificate was refused. */
    public enum Reason {
        /** Truncated, oversized, unknown version or field values that cannot be. */
        MALFORMED,
        /** The root's signature does not verify. */
        BAD_SIGNATURE,
        /** notBefore is in the future (beyond the clock-skew allowance). */
        NOT_YET_VALID,
        /** notAfter is in the past (beyond the clock-skew allowance). */
        EXPIRED,
        /** The root revoked every session issued before a time after this one's start. */
        REVOKED,
        /** The root is not one this verifier trusts. */
        UNKNOWN_ROOT,
        /** notAfter − notBefore exceeds the verifier's maximum session lifetime. */
        LIFETIME_TOO_LONG
    }

    private final Reason reason;

    public CertificateException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
