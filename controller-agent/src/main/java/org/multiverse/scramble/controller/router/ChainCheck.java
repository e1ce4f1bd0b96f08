package org.multiverse.scramble.controller.router;

import java.util.List;

/** Whether a router holds its place in the chain; {@code findings} says what is wrong, if anything. */
public record ChainCheck(boolean ok, List<String> findings) {
    public ChainCheck {
        findings = List.copyOf(findings);
    }

    static ChainCheck of(List<String> findings) {
        return new ChainCheck(findings.isEmpty(), findings);
    }
}
