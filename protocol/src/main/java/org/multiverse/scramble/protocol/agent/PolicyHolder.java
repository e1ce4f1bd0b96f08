package org.multiverse.scramble.protocol.agent;

import java.nio.file.Path;
import java.util.Optional;
import org.multiverse.scramble.protocol.agent.policy.Policy;
import org.multiverse.scramble.protocol.agent.policy.PolicyException;

/**
 * The policy in force and the file it came from. A reload that meets a broken file keeps
 * the policy in force, so a typo never opens or closes the agent by accident.
 */
public final class PolicyHolder {

    private final Optional<Path> file;
    private volatile Policy current;

    private PolicyHolder(Optional<Path> file, Policy policy) {
        this.file = file;
        this.current = policy;
    }

    /** Loads the file; a broken file is refused (the agent does not start). */
    public static PolicyHolder load(Path file) throws PolicyException {
        return new PolicyHolder(Optional.of(file), Policy.load(file));
    }

    /** A fixed policy with no file (tests, the demo). */
    public static PolicyHolder fixed(Policy policy) {
        return new PolicyHolder(Optional.empty(), policy);
    }

    Policy current() {
        return current;
    }

    /** Re-reads the file; returns what happened, for the log, the audit and the reply. */
    synchronized String reload() {
        if (file.isEmpty()) {
            return "policy has no file to reload; kept " + current.rules().size() + " rules";
        }
        try {
            Policy next = Policy.load(file.get());
            current = next;
            return "policy reloaded from " + file.get() + ": " + next.rules().size() + " rules";
        } catch (PolicyException e) {
            return "policy reload refused, old policy kept: " + e.getMessage();
        }
    }
}
