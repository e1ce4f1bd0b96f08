package org.multiverse.scramble.shell.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.config.TomlSubset;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.suite.identity.Identity;

class ShellTomlTest {

    private static final String ID = Identity.generate(new SecureRandom()).id().text();

    @Test
    void readsAgentsAndTrustAndTheCommandLineWins() throws Exception {
        AgentConfig c = new AgentConfig();
        c.put(AgentRole.HOST, TransportUri.parse("sim:cli"), true);
        ShellToml.parse("shell.toml", """
                # my agents
                [agents]
                host   = "unix:/run/multiverse/host.sock"   # overridden by --agent
                router = "tcp:10.0.0.2:7000"
                trust  = ["%s"]
                """.formatted(ID), c);
        assertEquals("sim:cli", c.uri(AgentRole.HOST).orElseThrow().toString());
        assertEquals("tcp:10.0.0.2:7000", c.uri(AgentRole.ROUTER).orElseThrow().toString());
        assertEquals(ID, c.trusted().iterator().next().text());
    }

    @Test
    void malformedFilesNameTheLine() {
        assertError("[agent]\n", "shell.toml:1: unknown table [agent]; only [agents] exists here");
        assertError("host = \"unix:/x\"\n", "shell.toml:1: 'host' must be under [agents]");
        assertError("[agents]\nweb = \"unix:/x\"\n", "shell.toml:2: unknown agent 'web'");
        assertError("[agents]\nhost = \"ftp:/x\"\n", "shell.toml:2: unknown transport scheme");
        assertError("[agents]\nhost = unix:/x\n", "shell.toml:2: value of 'agents.host' is not a string");
        assertError("[agents]\ntrust = [\"scr1nope\"]\n", "shell.toml:2: trust:");
        assertError("[agents]\ntrust = [scr1]\n", "shell.toml:2: array of 'agents.trust' may hold only strings");
        assertError("[agents]\ntrust = \"scr1\"\n", "shell.toml:2: trust: expected a list");
        assertError("[agents]\nrouter = [\"a\"]\n", "shell.toml:2: only 'trust' takes a list");
    }

    /** What the shared reader adds over the old line parser: one meaning per key, nothing half read. */
    @Test
    void duplicatesAndTopLevelKeysAreRefused() {
        assertError(
                "[agents]\nhost = \"unix:/a\"\nhost = \"unix:/b\"\n",
                "shell.toml:3: key 'agents.host' is set twice (first on line 2)");
        assertError("[agents]\ntrust = []\ntrust = []\n", "shell.toml:3: key 'agents.trust' is set twice");
        assertError("[agents]\n[agents]\n", "shell.toml:2: table [agents] appears twice (first on line 1)");
        assertError("trust = [\"%s\"]\n".formatted(ID), "shell.toml:1: 'trust' must be under [agents]");
        assertError("[agents]\nhost = 1\n", "shell.toml:2: expected host = \"URI\"");
        assertError("[agents]\nhost = \"unix:/x\" extra\n", "shell.toml:2: unexpected text after");
    }

    @Test
    void aRefusedFileChangesNothing() {
        AgentConfig c = new AgentConfig();
        assertThrows(
                ShellFailure.class,
                () -> ShellToml.parse(
                        "shell.toml",
                        "[agents]\nrouter = \"tcp:10.0.0.2:7000\"\ntrust = [\"%s\"]\nweb = \"unix:/x\"\n".formatted(ID),
                        c));
        assertTrue(c.isEmpty());
        assertTrue(c.trusted().isEmpty());
    }

    @Test
    void theFileIsReadBoundedAndAMissingOneIsNoChange(@TempDir Path dir) throws Exception {
        AgentConfig c = new AgentConfig();
        ShellToml.readInto(dir.resolve("absent.toml"), c);
        assertTrue(c.isEmpty());
        Path file = dir.resolve("shell.toml");
        Files.writeString(file, "[agents] # mine\nrouter = 'tcp:10.0.0.2:7000'\n");
        ShellToml.readInto(file, c);
        assertEquals("tcp:10.0.0.2:7000", c.uri(AgentRole.ROUTER).orElseThrow().toString());
        Files.writeString(file, "#".repeat(TomlSubset.MAX_TEXT_BYTES + 1));
        ShellFailure big = assertThrows(ShellFailure.class, () -> ShellToml.readInto(file, new AgentConfig()));
        assertEquals(file + ": larger than " + TomlSubset.MAX_TEXT_BYTES + " bytes", big.getMessage());
    }

    private static void assertError(String text, String expected) {
        ShellFailure e = assertThrows(ShellFailure.class, () -> ShellToml.parse("shell.toml", text, new AgentConfig()));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
