package org.multiverse.scramble.protocol.agent.policy;

import java.util.Map;

/** One line of a policy file, with where it came from (for audit reasons and errors). */
public record PolicyRule(
        String source,
        int line,
        CommandPattern commandPattern,
        IdentityPattern identityPattern,
        boolean allow,
        RateSpec rate,
        Map<String, String> options) {

    /** {@code file:line} of this rule, as audit entries cite it. */
    public String where() {
        return source + ":" + line;
    }
}
