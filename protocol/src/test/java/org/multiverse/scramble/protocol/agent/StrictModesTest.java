package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.security.auth.module.UnixSystem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.agent.policy.PolicyException;
import org.multiverse.scramble.protocol.testkit.Prerequisite;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * Issue 14: an agent started from a state directory anyone could write (0777; user
 * {@code nobody} rewrote {@code authorized} and then defined a portal with the attacker's
 * root), and accepted a 0666 policy file. Now every agent refuses, as sshd's StrictModes,
 * naming the path and the command that fixes it.
 */
class StrictModesTest {

    /** {@code nobody} on Debian: the foreign owner of the measured attack. */
    private static final int NOBODY = 65534;

    @TempDir
    Path tmp;

    private Path initialised(Path state) throws IOException {
        AgentState.init(state).close();
        try (Identity root = Identity.generate(new SecureRandom())) {
            AgentState.roots(state).authorize(root.id(), Scope.ALL);
        }
        return state;
    }

    private static void chmod(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    private static String refusal(Path state) {
        return assertThrows(
                        IOException.class,
                        () -> new AgentBuilder("test-agent", state).build().close())
                .getMessage();
    }

    private static boolean root() {
        return new UnixSystem().getUid() == 0;
    }

    private static void requireRoot() {
        Prerequisite.require(root(), "root, to give a file to another user (chown nobody); run as root or in CI");
    }

    @Test
    void initMakesTheStateDirectoryAndItsPartsOwnerOnly() throws Exception {
        Path state = initialised(tmp.resolve("a/state"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("agent.key"))));
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("authorized"))));
        new AgentBuilder("test-agent", state).build().close();
        for (String dir : new String[] {"audit", "replay"}) {
            assertEquals(
                    "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(dir))), dir);
        }
    }

    @Test
    void aStateDirectoryAnyoneMayWriteIsRefusedWithTheChmodToRun() throws Exception {
        Path state = initialised(tmp.resolve("state"));
        chmod(state, "rwxrwxrwx");
        String m = refusal(state);
        assertTrue(m.contains("state directory " + state), m);
        assertTrue(m.contains("mode 0777"), m);
        assertTrue(m.endsWith("Run: chmod go-w " + state.toRealPath()), m);
        chmod(state, "rwx------");
        assertDoesNotThrow(() -> new AgentBuilder("test-agent", state).build().close());
    }

    @Test
    void theAgentProcessRefusesToStartAndSaysWhatToRun() throws Exception {
        Path state = initialised(tmp.resolve("state"));
        chmod(state, "rwxrwxr-x");
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            code = AgentCommandLine.run(
                    new StrictModesModule(),
                    new String[] {"run", "--state-dir", state.toString(), "--listen", "sim:x"});
        } finally {
            System.setErr(err);
        }
        String said = e.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, said);
        assertTrue(said.contains("Run: chmod go-w " + state.toRealPath()), said);
    }

    @Test
    void anAuthorisedListOrKeyOthersMayWriteIsRefused() throws Exception {
        Path state = initialised(tmp.resolve("state"));
        chmod(state.resolve("authorized"), "rw-rw-rw-");
        String m = refusal(state);
        assertTrue(m.contains("authorised roots file " + state.resolve("authorized")), m);
        assertTrue(m.contains("Run: chmod go-w "), m);
        chmod(state.resolve("authorized"), "rw-------");
        chmod(state.resolve("agent.key"), "rw--w----");
        assertTrue(refusal(state).contains("agent key"), refusal(state));
    }

    @Test
    void aGroupWritableDirectoryAboveIsRefusedByName() throws Exception {
        Path parent = tmp.resolve("shared");
        Path state = initialised(parent.resolve("state"));
        chmod(parent, "rwxrwxr-x");
        String m = refusal(state);
        assertTrue(m.startsWith(parent.toRealPath() + ", a directory above the state directory"), m);
        assertTrue(m.endsWith("Run: chmod go-w " + parent.toRealPath()), m);
    }

    @Test
    void aSymlinkToAStateDirectoryInAnOpenDirectoryIsRefused() throws Exception {
        Path open = tmp.resolve("open");
        Path state = initialised(open.resolve("state"));
        chmod(open, "rwxrwxrwx");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), state);
        String m = refusal(link);
        assertTrue(m.contains(open.toRealPath() + ", a directory above"), m);
    }

    @Test
    void aPolicyFileOthersMayWriteIsRefused() throws Exception {
        Path policy = tmp.resolve("agent.policy");
        Files.writeString(policy, "agent.* @any allow\n");
        chmod(policy, "rw-rw-rw-");
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyHolder.load(policy));
        assertTrue(e.getMessage().contains("policy file " + policy), e.getMessage());
        assertTrue(e.getMessage().endsWith("Run: chmod go-w " + policy.toRealPath()), e.getMessage());
        chmod(policy, "rw-r--r--");
        assertDoesNotThrow(() -> PolicyHolder.load(policy));
    }

    @Test
    void aPolicyMadeWritableWhileRunningIsNotReloaded() throws Exception {
        Path policy = tmp.resolve("agent.policy");
        Files.writeString(policy, "agent.* @any allow\n");
        PolicyHolder holder = PolicyHolder.load(policy);
        Files.writeString(policy, "* @any allow\n");
        chmod(policy, "rw-rw-rw-");
        String said = holder.reload();
        assertTrue(said.startsWith("policy reload refused, old policy kept"), said);
        assertEquals(1, holder.current().rules().size());
    }

    @Test
    void filesNobodyOwnsAreRefusedWithTheChownToRun() throws Exception {
        requireRoot();
        Path state = initialised(tmp.resolve("state"));
        Path authorized = state.resolve("authorized");
        Files.setAttribute(authorized, "unix:uid", NOBODY);
        String m = refusal(state);
        assertTrue(m.contains("authorised roots file " + authorized + " is owned by uid 65534"), m);
        assertTrue(m.endsWith("Run: chown root " + authorized.toRealPath()), m);
        Files.setAttribute(authorized, "unix:uid", 0);
        Files.setAttribute(state, "unix:uid", NOBODY);
        assertTrue(refusal(state).contains("state directory " + state + " is owned by uid 65534"), refusal(state));
        Files.setAttribute(state, "unix:uid", 0);
        Path policy = tmp.resolve("agent.policy");
        Files.writeString(policy, "agent.* @any allow\n");
        Files.setAttribute(policy, "unix:uid", NOBODY);
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyHolder.load(policy));
        assertTrue(e.getMessage().contains("is owned by uid 65534"), e.getMessage());
    }

    @Test
    void aStickyDirectoryAboveIsAcceptedOnlyWhenRootOwnsIt() throws Exception {
        requireRoot();
        Path sticky = tmp.resolve("sticky");
        Files.createDirectory(sticky);
        Files.setAttribute(sticky, "unix:mode", 01777);
        Path state = initialised(sticky.resolve("state"));
        assertDoesNotThrow(() -> new AgentBuilder("test-agent", state).build().close(), "like /tmp");
        Files.setAttribute(sticky, "unix:uid", NOBODY);
        String m = refusal(state);
        assertTrue(m.contains(sticky.toRealPath() + ", a directory above"), m);
        assertTrue(m.contains("owned by uid 65534"), m);
    }

    /** An agent with no handlers of its own. */
    private static final class StrictModesModule implements AgentModule {
        @Override
        public String name() {
            return "test-agent";
        }

        @Override
        public String role() {
            return "host";
        }

        @Override
        public AutoCloseable install(AgentCore core, Path stateDir) {
            return () -> {};
        }

        @Override
        public AutoCloseable installDemo(AgentCore core, Path stateDir) {
            return () -> {};
        }
    }
}
