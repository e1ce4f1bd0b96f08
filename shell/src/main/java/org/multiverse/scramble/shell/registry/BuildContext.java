package org.multiverse.scramble.shell.registry;

import java.time.Instant;
import org.multiverse.scramble.shell.ShellFailure;

/** What building a command may need beyond its arguments: the time, and the root key for the one root-signed command. */
public interface BuildContext {

    Instant now();

    /**
     * The encoded RevocationStatement "sessions before T are revoked", signed by the root key
     * (which is unlocked again for it: the shell does not keep the root key after unlock).
     */
    byte[] signRevocation(long issuedBeforeMillis) throws ShellFailure;
}
