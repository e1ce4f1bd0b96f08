package org.multiverse.scramble.protocol.agent;

import java.util.HexFormat;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionCertificate;

/**
 * An envelope whose certificate chains to an authorised root, whose signature verifies
 * under the session key, which is fresh and addressed to this agent (or to one of its
 * routes). Its sequence number has not been checked yet: see {@link AgentCore}.
 *
 * @param envelope    the envelope as received
 * @param certificate its session certificate
 * @param scope       the effective scope: the narrower of the certificate's and the root's authorisation
 * @param command     the parsed command (a relay reads it too, to apply its own policy and rate limits)
 * @param relay       true when the envelope is for another agent and is to be relayed unchanged
 */
record VerifiedEnvelope(
        Envelope envelope, SessionCertificate certificate, Scope scope, Command command, boolean relay) {

    String sessionKeyHex() {
        return HexFormat.of().formatHex(certificate.sessionSigningKey());
    }

    String requestIdHex() {
        return HexFormat.of().formatHex(envelope.getRequestId().toByteArray());
    }

    boolean isRelay() {
        return relay;
    }
}
