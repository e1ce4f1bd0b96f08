package org.multiverse.scramble.protocol.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * The project's rule for tests that need something from the machine (a tool, root, a
 * capability): under {@code CI=true} a missing prerequisite is a failure, never a silent skip;
 * on a laptop the test is skipped and says why.
 */
public final class Prerequisite {

    private Prerequisite() {}

    /** Whether this run is CI ({@code CI=true}), where nothing may be skipped for want of a tool. */
    public static boolean underCi() {
        return "true".equals(System.getenv("CI"));
    }

    /**
     * Fails (under CI) or skips (elsewhere) the calling test unless {@code present}.
     *
     * @param present whether the prerequisite is there
     * @param what what is missing and how to get it, e.g. {@code "socat (apt-get install -y socat)"}
     */
    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if (underCi()) {
            fail(what + " (CI=true, so this fails instead of skipping)");
        }
        Assumptions.assumeTrue(false, what);
    }
}
