package org.multiverse.scramble.protocol.agent;

import java.util.Map;
import org.multiverse.scramble.suite.cert.SessionCertificate;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * What a handler knows about the command it runs: who sent it, under which session, and
 * the options of the policy rule that allowed it (for example {@code roots=} for shares).
 *
 * @param root          the person's root Scramble ID
 * @param certificate   the session certificate the envelope was signed under
 * @param requestId     the 16-byte request id
 * @param policyOptions the allowing rule's key=value options
 * @param events        where the handler publishes events for subscribers
 */
public record CommandContext(
        ScrambleId root,
        SessionCertificate certificate,
        byte[] requestId,
        Map<String, String> policyOptions,
        EventHub events) {}
