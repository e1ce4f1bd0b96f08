package org.multiverse.scramble.shell.identity;

import java.time.Clock;
import java.time.Instant;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.shell.registry.BuildContext;
import org.multiverse.scramble.suite.cert.RevocationStatement;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * The {@link BuildContext} of a shell: the clock, and the root key unlocked again (passphrase
 * prompt or file) for the one command the root itself must sign; it is closed, and its seed
 * zeroed, right after.
 */
public final class RootKeyContext implements BuildContext {

    /** Opens the root identity when needed; the caller of {@link #open()} closes it. */
    @FunctionalInterface
    public interface RootAccess {
        Identity open() throws ShellFailure;
    }

    private final Clock clock;
    private final RootAccess root;

    public RootKeyContext(Clock clock, RootAccess root) {
        this.clock = clock;
        this.root = root;
    }

    /** A context whose root comes from the key file. */
    public static RootKeyContext fromStore(Clock clock, IdentityStore store, PassphraseSource passphrases) {
        return new RootKeyContext(clock, () -> store.unlock(passphrases));
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public byte[] signRevocation(long issuedBeforeMillis) throws ShellFailure {
        try (Identity id = root.open()) {
            return RevocationStatement.sign(id, issuedBeforeMillis).encode();
        }
    }
}
