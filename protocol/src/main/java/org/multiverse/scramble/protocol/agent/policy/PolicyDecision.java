package org.multiverse.scramble.protocol.agent.policy;

import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a policy lookup: allowed or denied, the rule that decided (empty when
 * nothing matched and the default deny applied), its rate limit and options.
 */
public record PolicyDecision(boolean allowed, Optional<PolicyRule> rule) {

    /** Human reason, for the audit log and the refusal message. */
    public String reason() {
        return rule.map(r -> (allowed ? "allowed by " : "denied by ") + r.where())
                .orElse("no rule matches: default deny");
    }

    public RateSpec rate() {
        return rule.map(PolicyRule::rate).orElse(RateSpec.DEFAULT);
    }

    public Map<String, String> options() {
        return rule.map(PolicyRule::options).orElse(Map.of());
    }
}
