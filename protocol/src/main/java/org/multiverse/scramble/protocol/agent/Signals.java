package org.multiverse.scramble.protocol.agent;

import sun.misc.Signal;

/**
 * POSIX signals for the agent process: TERM and INT stop it cleanly (drain, then exit 0),
 * HUP reloads the policy. {@code sun.misc.Signal} is the JDK's supported way (jdk.unsupported).
 */
final class Signals {

    private Signals() {}

    static void onTerminate(Runnable action) {
        Signal.handle(new Signal("TERM"), s -> action.run());
        Signal.handle(new Signal("INT"), s -> action.run());
    }

    static void onHangup(Runnable action) {
        Signal.handle(new Signal("HUP"), s -> action.run());
    }
}
