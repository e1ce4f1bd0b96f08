package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.identity.Identity;

/** The agent's state directory: identity, authorised roots, and refusal of files others can read. */
class AgentStateTest {

    @TempDir
    Path dir;

    @Test
    void initCreatesAPrivateIdentityOnceAndLoadsItBack() throws Exception {
        String id;
        try (Identity created = AgentState.init(dir)) {
            id = created.id().text();
        }
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("agent.key"))));
        try (Identity loaded = AgentState.loadIdentity(dir)) {
            assertEquals(id, loaded.id().text());
        }
        IOException again = assertThrows(IOException.class, () -> AgentState.init(dir));
        assertTrue(again.getMessage().contains("already exists"), again.getMessage());
    }

    @Test
    void keyFileReadableByOthersIsRefusedNamingTheFix() throws Exception {
        AgentState.init(dir).close();
        Path key = dir.resolve("agent.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> AgentState.loadIdentity(dir));
        assertTrue(e.getMessage().contains("chmod 600 " + key), e.getMessage());
    }

    @Test
    void damagedOrMissingKeyIsAClearError() throws Exception {
        IOException missing = assertThrows(IOException.class, () -> AgentState.loadIdentity(dir));
        assertTrue(missing.getMessage().contains("run 'init --state-dir"), missing.getMessage());
        AgentState.init(dir).close();
        Files.write(dir.resolve("agent.key"), new byte[31]);
        IOException damaged = assertThrows(IOException.class, () -> AgentState.loadIdentity(dir));
        assertTrue(damaged.getMessage().contains("damaged"), damaged.getMessage());
    }

    @Test
    void authorisedRootsPersistAndMalformedLinesNameTheLine() throws Exception {
        AgentState.init(dir).close();
        try (Identity person = Identity.generate(new SecureRandom())) {
            AgentState.roots(dir).authorize(person.id(), Scope.READ_ONLY);
            assertEquals(
                    Scope.READ_ONLY, AgentState.roots(dir).scopeOf(person.id()).orElseThrow());
            assertTrue(AgentState.roots(dir).remove(person.id()));
            assertTrue(AgentState.roots(dir).all().isEmpty());
        }
        Path file = dir.resolve("authorized");
        Files.writeString(file, "# comment\nscr1notanid all\n");
        IOException e = assertThrows(IOException.class, () -> AgentState.roots(dir));
        assertTrue(e.getMessage().startsWith(file + ":2: "), e.getMessage());
    }
}
