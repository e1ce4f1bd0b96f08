package org.multiverse.scramble.protocol.agent.policy;

import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * Whom a rule covers: one Scramble ID, {@code @any} authorised identity, or every
 * session certificate of a scope ({@code @scope:read-only}, {@code @scope:all}).
 */
sealed interface IdentityPattern {

    boolean matches(ScrambleId root, Scope scope);

    static IdentityPattern parse(String text) {
        if (text.equals("@any")) {
            return new Any();
        }
        if (text.startsWith("@scope:")) {
            return new OfScope(Scope.parse(text.substring("@scope:".length())));
        }
        if (text.startsWith("@")) {
            throw new IllegalArgumentException("unknown identity pattern '" + text
                    + "' (expected @any, @scope:all, @scope:read-only or a Scramble ID)");
        }
        try {
            return new Exactly(ScrambleId.parse(text));
        } catch (InvalidScrambleIdException e) {
            throw new IllegalArgumentException("bad Scramble ID '" + text + "': " + e.getMessage());
        }
    }

    record Any() implements IdentityPattern {
        @Override
        public boolean matches(ScrambleId root, Scope scope) {
            return true;
        }
    }

    record OfScope(Scope scope) implements IdentityPattern {
        @Override
        public boolean matches(ScrambleId root, Scope actual) {
            return scope == actual;
        }
    }

    record Exactly(ScrambleId id) implements IdentityPattern {
        @Override
        public boolean matches(ScrambleId root, Scope scope) {
            return id.equals(root);
        }
    }
}
