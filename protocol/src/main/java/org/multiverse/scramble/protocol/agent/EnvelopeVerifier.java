package org.multiverse.scramble.protocol.agent;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.Set;
import org.multiverse.scramble.protocol.envelope.SigningBytes;
import org.multiverse.scramble.protocol.session.EnvelopeSigner;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.RejectCode;
import org.multiverse.scramble.suite.cert.CertificateException;
import org.multiverse.scramble.suite.cert.CertificateVerifier;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionCertificate;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.replay.FreshnessWindow;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * Step 3 of the pipeline: who sent this, and may it be attributed to them?
 *
 * <p>Order matters. The certificate must chain to an authorised root and the envelope's
 * signature must verify under the certificate's session key before anything is said to the
 * sender: until then the input is unattributable and only gets a {@code Rejected} frame. A
 * certificate that is merely expired, not yet valid or revoked, with a good signature, is
 * attributable: the person is told exactly that, sealed to that session. So is a certificate
 * its root signed for longer than this agent accepts: the root did sign it, so the person may
 * learn why it is refused.
 */
final class EnvelopeVerifier {

    /** The only wire schema version this agent speaks. */
    static final int PROTOCOL_VERSION = EnvelopeSigner.PROTOCOL_VERSION;

    private final ScrambleId self;
    private final AuthorizedRoots roots;
    private final CertificateVerifier certificates;
    private final FreshnessWindow freshness;
    private final Set<String> routes;

    EnvelopeVerifier(
            ScrambleId self,
            AuthorizedRoots roots,
            CertificateVerifier certificates,
            FreshnessWindow freshness,
            Set<String> routes) {
        this.self = self;
        this.roots = roots;
        this.certificates = certificates;
        this.freshness = freshness;
        this.routes = java.util.Collections.unmodifiableSet(routes); // live: routes come and go with portals
    }

    /** The refusal of an envelope of another protocol version. */
    static Refusal unsupportedVersion(long version) {
        return Refusal.unattributable(
                ErrorCode.UNSUPPORTED_VERSION,
                RejectCode.UNSUPPORTED_PROTOCOL,
                "protocol version " + Long.toUnsignedString(version) + " (this agent speaks " + PROTOCOL_VERSION + ")");
    }

    VerifiedEnvelope verify(Envelope envelope, Instant now) throws Refusal {
        if (envelope.getProtocolVersion() != PROTOCOL_VERSION) {
            throw unsupportedVersion(envelope.getProtocolVersion());
        }
        SessionCertificate certificate;
        try {
            certificate =
                    SessionCertificate.decode(envelope.getSessionCertificate().toByteArray());
        } catch (CertificateException e) {
            throw Refusal.unattributable(
                    ErrorCode.BAD_CERTIFICATE,
                    RejectCode.UNAUTHENTICATED,
                    "malformed session certificate: " + e.getMessage());
        }
        CertificateException timeOrRevocation = null;
        try {
            certificates.verify(certificate, now);
        } catch (CertificateException e) {
            switch (e.reason()) {
                case EXPIRED, NOT_YET_VALID, REVOKED, LIFETIME_TOO_LONG -> timeOrRevocation = e;
                default ->
                    throw Refusal.unattributable(
                            codeOf(e),
                            RejectCode.UNAUTHENTICATED,
                            "certificate of " + certificate.root().shortForm() + ": " + e.getMessage());
            }
        }
        if (!certificate.verifySessionSignature(
                SignatureContext.ENVELOPE,
                SigningBytes.of(envelope),
                envelope.getSignature().toByteArray())) {
            throw Refusal.unattributable(
                    ErrorCode.BAD_SIGNATURE,
                    RejectCode.UNAUTHENTICATED,
                    "envelope signature does not verify under session " + certificate.sessionIdShort());
        }
        // From here on the sender is known: refusals are sealed to the session key.
        if (timeOrRevocation != null) {
            throw Refusal.sealed(codeOf(timeOrRevocation), timeOrRevocation.getMessage())
                    .from(certificate);
        }
        Scope scope =
                narrower(certificate.scope(), roots.scopeOf(certificate.root()).orElse(Scope.READ_ONLY));
        String route = envelope.getRoute();
        // An envelope addressed to this agent is served here, whatever hop brought it; the
        // route matters only for an envelope addressed to another agent.
        boolean forHere = envelope.getTargetAgent().equals(self.text());
        if (!forHere && !route.isEmpty()) {
            if (!routes.contains(route)) {
                throw Refusal.sealed(ErrorCode.WRONG_TARGET, "this agent has no route named '" + route + "'")
                        .from(certificate);
            }
        } else if (!forHere) {
            throw Refusal.sealed(
                            ErrorCode.WRONG_TARGET,
                            "envelope is addressed to another agent (" + abbreviate(envelope.getTargetAgent())
                                    + "), not to " + self.shortForm())
                    .from(certificate);
        }
        switch (freshness.check(envelope.getTimestampMillis(), now)) {
            case OK -> {}
            case TOO_OLD ->
                throw Refusal.sealed(
                                ErrorCode.STALE,
                                "envelope timestamp is too old (" + (now.toEpochMilli() - envelope.getTimestampMillis())
                                        + " ms behind the agent's clock)")
                        .from(certificate);
            default ->
                throw Refusal.sealed(
                                ErrorCode.STALE,
                                "envelope timestamp is in the future ("
                                        + (envelope.getTimestampMillis() - now.toEpochMilli())
                                        + " ms ahead of the agent's clock)")
                        .from(certificate);
        }
        // Parsed for a relayed envelope too: the command is signed, not encrypted, and a relay
        // applies its own policy and rate limits to it. A command the relay cannot name is not relayed.
        Command command;
        try {
            command = Command.parseFrom(envelope.getCommand());
        } catch (InvalidProtocolBufferException e) {
            throw Refusal.sealed(ErrorCode.INVALID_ARGUMENT, "command bytes are not a valid Command")
                    .from(certificate);
        }
        if (command.getKindCase() == Command.KindCase.KIND_NOT_SET) {
            throw Refusal.sealed(
                            ErrorCode.UNSUPPORTED_COMMAND,
                            "unknown or empty command (this agent's schema may be older than the shell's)")
                    .from(certificate);
        }
        return new VerifiedEnvelope(envelope, certificate, scope, command, !forHere);
    }

    private static ErrorCode codeOf(CertificateException e) {
        return switch (e.reason()) {
            case EXPIRED, NOT_YET_VALID -> ErrorCode.SESSION_EXPIRED;
            case REVOKED -> ErrorCode.SESSION_REVOKED;
            case LIFETIME_TOO_LONG -> ErrorCode.CERTIFICATE_LIFETIME_TOO_LONG;
            case UNKNOWN_ROOT -> ErrorCode.UNKNOWN_IDENTITY;
            case BAD_SIGNATURE -> ErrorCode.BAD_SIGNATURE;
            default -> ErrorCode.BAD_CERTIFICATE;
        };
    }

    private static Scope narrower(Scope a, Scope b) {
        return a == Scope.READ_ONLY || b == Scope.READ_ONLY ? Scope.READ_ONLY : Scope.ALL;
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 16 ? printable.substring(0, 16) + "…" : printable;
    }
}
