package org.multiverse.scramble.suite.keyfile;

import java.io.IOException;
import java.util.Objects;

/** A key file that cannot be used, with the typed reason and a message for the person. */
public final class KeyFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why a key file was refused. */
    public enum Reason {
        /** Group or others may read or write it; fix with chmod 600. */
        INSECURE_PERMISSIONS,
        /** A directory, device or other non-regular file. */
        NOT_A_REGULAR_FILE,
        /** Shorter than a key file. */
        TRUNCATED,
        /** Longer than a key file. */
        TOO_LARGE,
        /** Does not start with the key-file magic: not a Scramble key file. */
        BAD_MAGIC,
        /** A key-file format version this program does not know. */
        UNKNOWN_VERSION,
        /** Argon2 parameters outside the accepted limits (a hostile file could ask for terabytes). */
        UNSAFE_PARAMETERS,
        /** Authentication failed: the passphrase is wrong or a byte of the file changed. */
        WRONG_PASSPHRASE_OR_DAMAGED
    }

    private final Reason reason;

    KeyFileException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
