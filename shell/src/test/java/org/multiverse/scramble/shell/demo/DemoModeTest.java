package org.multiverse.scramble.shell.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellHarness;
import org.multiverse.scramble.shell.ShellHarness.Run;

/** {@code --demo} with the agent modules on the test class path: the tiny host module only. */
class DemoModeTest {

    @TempDir
    Path tmp;

    @Test
    void demoStartsTheModulesFoundDefinesPortalsAndNamesTheMissingOnes() throws Exception {
        ShellHarness h = new ShellHarness(tmp);
        Run r = h.run("--demo", "-c", "portal list; agent status; audit verify");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("DEMO identity scr1"), r.err());
        assertTrue(r.err().contains("no router agent (module controller-agent"), r.err());
        assertTrue(r.err().contains("no rtos agent (module rtos-bridge"), r.err());
        assertTrue(
                r.out().contains("demo-firefox")
                        && r.out().contains("demo-star")
                        && r.out().contains("demo-user"),
                r.out());
        assertTrue(r.out().contains("audit log intact"), r.out());
        // A command for a missing agent is refused clearly (the host has no route to it), and the
        // host's ID is not pinned for the router.
        Run router = h.run("--demo", "-c", "router list");
        assertEquals(ExitCodes.REFUSED, router.exit(), router.err());
        assertTrue(router.err().contains("no route named 'router'"), router.err());
    }

    @Test
    void demoWithJsonAndTwoDemosInOneProcess() throws Exception {
        ShellHarness h = new ShellHarness(tmp);
        Run a = h.run("--demo", "--json", "-c", "portal start demo-firefox");
        Run b = h.run("--demo", "--json", "-c", "portal start demo-firefox");
        assertEquals(0, a.exit(), a.err());
        assertEquals(0, b.exit(), b.err());
        assertTrue(a.out().contains("\"state\":\"PORTAL_RUN_STATE_RUNNING\""), a.out());
    }

    @Test
    void demoRefusesIdCommands() {
        assertEquals(ExitCodes.USAGE, new ShellHarnessRun(tmp).run("--demo", "id", "show"));
    }

    private record ShellHarnessRun(Path tmp) {
        int run(String... args) {
            try {
                return new ShellHarness(tmp).run(args).exit();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }
}
