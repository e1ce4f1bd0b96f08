package org.multiverse.scramble.shell.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellHarness;
import org.multiverse.scramble.shell.ShellHarness.Run;

/** {@code id session-export} and {@code --session} / {@code SCRAMBLE_SESSION} against a real agent core. */
class SessionHandOverTest {

    @TempDir
    Path tmp;

    private ShellHarness h;
    private Path session;

    @BeforeEach
    void setUp() throws Exception {
        h = new ShellHarness(tmp);
        h.initIdentity();
        h.startAgent(ShellHarness.POLICY);
        Path dir = Files.createDirectory(
                h.home.resolve("run"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        session = dir.resolve("session");
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    @Test
    void exportedSessionRunsCommandsWithoutPassphraseOrKeyFile() throws Exception {
        Run export =
                h.run("--passphrase-file", h.passphraseFile.toString(), "id", "session-export", session.toString());
        assertEquals(ExitCodes.OK, export.exit(), export.err());
        assertTrue(export.out().contains("valid until"), export.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(session)));

        // No key file any more: only the .pub beside where it was, to check the session's root.
        Path key = h.home.resolve("config/scramble/identity.key");
        Files.move(key, tmp.resolve("elsewhere.key"));
        long before = h.auditLines();
        Run ping = h.run(
                "--agent",
                "host=" + h.agentUri,
                "--trust",
                h.agentId().text(),
                "--session",
                session.toString(),
                "-c",
                "agent ping");
        assertEquals(ExitCodes.OK, ping.exit(), ping.err());
        assertTrue(ping.out().contains("pong"), ping.out());
        assertTrue(h.auditLines() > before, "the agent accepted and audited the signed ping");

        Run fromEnv = h.run(
                Map.of("SCRAMBLE_SESSION", session.toString()),
                "",
                "--agent",
                "host=" + h.agentUri,
                "-c",
                "agent ping");
        assertEquals(ExitCodes.OK, fromEnv.exit(), fromEnv.err());
        assertTrue(fromEnv.out().contains("pong"), fromEnv.out());
    }

    @Test
    void withoutASessionTheKeyFileIsStillUnlocked() throws Exception {
        Run noPassphrase = h.run(
                Map.of("SCRAMBLE_SESSION", ""),
                "",
                "--agent",
                "host=" + h.agentUri,
                "--trust",
                h.agentId().text(),
                "-c",
                "agent ping");
        assertEquals(ExitCodes.USAGE, noPassphrase.exit(), noPassphrase.err());
        assertTrue(
                noPassphrase.err().contains("give --passphrase-file"),
                "an empty SCRAMBLE_SESSION is no session, " + "so the key file needs its passphrase: "
                        + noPassphrase.err());
    }

    @Test
    void expiredSessionIsRefusedSayingWhen() throws Exception {
        Clock past = Clock.offset(Clock.systemUTC(), Duration.ofHours(-13));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        new IdentityCommands(
                        new IdentityStore(h.home.resolve("config/scramble/identity.key")),
                        new PassphraseFile(h.passphraseFile),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        err,
                        past)
                .run(List.of("session-export", session.toString()), new ByteArrayInputStream(new byte[0]));
        Run ping = h.run(h.connect("--trust", h.agentId().text(), "--session", session.toString(), "-c", "agent ping"));
        assertEquals(ExitCodes.REFUSED, ping.exit(), ping.err());
        assertTrue(ping.err().contains("expired at "), ping.err());
        assertTrue(ping.err().contains("id session-export " + session), ping.err());
    }

    @Test
    void sessionReadableByOthersIsRefused() throws Exception {
        export();
        Files.setPosixFilePermissions(session, PosixFilePermissions.fromString("rw-r--r--"));
        Run ping = pingWithSession();
        assertEquals(ExitCodes.REFUSED, ping.exit(), ping.err());
        assertTrue(ping.err().contains("chmod 600 " + session), ping.err());
    }

    @Test
    void damagedSessionIsRefused() throws Exception {
        export();
        byte[] bytes = Files.readAllBytes(session);
        bytes[100] ^= 0x20;
        Files.write(session, bytes);
        Run ping = pingWithSession();
        assertEquals(ExitCodes.FAILED, ping.exit(), ping.err());
        assertTrue(ping.err().contains("is damaged (checksum mismatch)"), ping.err());
    }

    @Test
    void sessionOfAnotherIdentityIsRefused() throws Exception {
        ShellHarness other = new ShellHarness(Files.createDirectory(tmp.resolve("other")));
        other.initIdentity();
        Run export = other.run(
                "--passphrase-file", other.passphraseFile.toString(), "id", "session-export", session.toString());
        assertEquals(ExitCodes.OK, export.exit(), export.err());
        Run ping = pingWithSession();
        assertEquals(ExitCodes.REFUSED, ping.exit(), ping.err());
        assertTrue(ping.err().contains("not by your Scramble ID " + h.root.text()), ping.err());
    }

    @Test
    void exportIntoASharedDirectoryIsRefused() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Run export = h.run(
                "--passphrase-file",
                h.passphraseFile.toString(),
                "id",
                "session-export",
                shared.resolve("s").toString());
        assertEquals(ExitCodes.REFUSED, export.exit(), export.err());
        assertTrue(Files.notExists(shared.resolve("s")));
    }

    @Test
    void usageErrors() {
        assertEquals(ExitCodes.USAGE, h.run("id", "session-export").exit());
        assertEquals(
                ExitCodes.USAGE,
                h.run("--session", session.toString(), "id", "show").exit());
        assertEquals(
                ExitCodes.USAGE,
                h.run("--demo", "--session", session.toString(), "-c", "agent ping")
                        .exit());
        Run missing = pingWithSession();
        assertEquals(ExitCodes.USAGE, missing.exit(), missing.err());
        assertTrue(missing.err().contains("does not exist; make one with"), missing.err());
    }

    private void export() {
        Run export =
                h.run("--passphrase-file", h.passphraseFile.toString(), "id", "session-export", session.toString());
        assertEquals(ExitCodes.OK, export.exit(), export.err());
    }

    private Run pingWithSession() {
        return h.run(
                "--agent",
                "host=" + h.agentUri,
                "--trust",
                h.agentId().text(),
                "--session",
                session.toString(),
                "-c",
                "agent ping");
    }
}
