package org.multiverse.scramble.shell.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

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
        assertError("[agent]\n", "shell.toml:1: unknown section [agent]");
        assertError("host = \"unix:/x\"\n", "shell.toml:1: 'host' must be under [agents]");
        assertError("[agents]\nweb = \"unix:/x\"\n", "shell.toml:2: unknown agent 'web'");
        assertError("[agents]\nhost = \"ftp:/x\"\n", "shell.toml:2: unknown transport scheme");
        assertError("[agents]\nhost = unix:/x\n", "shell.toml:2: expected");
        assertError("[agents]\ntrust = [\"scr1nope\"]\n", "shell.toml:2: trust:");
        assertError("[agents]\ntrust = [scr1]\n", "shell.toml:2: trust: expected a list");
        assertError("[agents]\nrouter = [\"a\"]\n", "shell.toml:2: only 'trust' takes a list");
    }

    private static void assertError(String text, String expected) {
        ShellFailure e = assertThrows(ShellFailure.class, () -> ShellToml.parse("shell.toml", text, new AgentConfig()));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
