package org.multiverse.scramble.suite.keyfile;

import com.sun.security.auth.module.UnixSystem;

/** The user running this process, whose files {@link PrivateFiles#requireStrictModes} accepts. */
final class ProcessUser {

    private static final UnixSystem SELF = new UnixSystem();

    private ProcessUser() {}

    static long uid() {
        return SELF.getUid();
    }

    static String name() {
        return SELF.getUsername();
    }
}
