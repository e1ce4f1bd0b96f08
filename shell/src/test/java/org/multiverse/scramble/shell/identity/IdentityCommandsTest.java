package org.multiverse.scramble.shell.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellHarness;
import org.multiverse.scramble.shell.ShellHarness.Run;
import org.multiverse.scramble.suite.keyfile.Argon2Params;

class IdentityCommandsTest {

    @TempDir
    Path tmp;

    private static final Pattern WORD = Pattern.compile("\\d+\\. ([a-z]+)");

    @Test
    void initPrintsIdAndTwentyFourWordsOnceAndWritesAPrivateKeyFile() throws Exception {
        ShellHarness h = new ShellHarness(tmp);
        Run r = h.run("--passphrase-file", h.passphraseFile.toString(), "id", "init");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertTrue(r.out().contains("Scramble ID: scr1"), r.out());
        assertEquals(24, words(r.out()).size(), r.out());
        Path key = h.home.resolve("config/scramble/identity.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(r.err().contains("weak Argon2"), "the testing parameters announce themselves: " + r.err());

        Run show = h.run("id", "show");
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().contains(idIn(r.out())), "show needs no passphrase: " + show.out());
        assertFalse(show.out().contains(words(r.out()).get(0) + " "), "words are never shown again");
        Run export = h.run("id", "export");
        assertEquals(idIn(r.out()) + "\n", export.out());
    }

    @Test
    void initRefusesToReplaceAnIdentity() throws Exception {
        ShellHarness h = new ShellHarness(tmp);
        h.initIdentity();
        Run again = h.run("--passphrase-file", h.passphraseFile.toString(), "id", "init");
        assertEquals(ExitCodes.USAGE, again.exit());
        assertTrue(again.err().contains("already exists"), again.err());
    }

    @Test
    void recoverFromTheWordsGivesTheSameIdUnderANewPassphrase() throws Exception {
        ShellHarness h = new ShellHarness(tmp);
        Run init = h.run("--passphrase-file", h.passphraseFile.toString(), "id", "init");
        String id = idIn(init.out());
        List<String> words = words(init.out());
        Path other = tmp.resolve("other.key");
        Path newPass = tmp.resolve("newpass");
        Files.writeString(newPass, "another passphrase");
        Files.setPosixFilePermissions(newPass, PosixFilePermissions.fromString("rw-------"));
        String typed = String.join(" ", words.subList(0, 12)) + "\n"
                + String.join("  ", words.subList(12, 24)).toUpperCase() + "\n";
        Run rec = h.run(
                java.util.Map.of(),
                typed,
                "--keyfile",
                other.toString(),
                "--passphrase-file",
                newPass.toString(),
                "id",
                "recover");
        assertEquals(0, rec.exit(), rec.err());
        assertTrue(rec.out().contains(id), rec.out());
        // The recovered key file opens with the new passphrase, not the old one.
        Run ping = h.run(
                "--keyfile",
                other.toString(),
                "--passphrase-file",
                h.passphraseFile.toString(),
                "--agent",
                "host=sim:nobody-" + System.nanoTime(),
                "-c",
                "agent ping");
        assertEquals(ExitCodes.REFUSED, ping.exit(), ping.err());
        assertTrue(ping.err().contains("wrong passphrase"), ping.err());
    }

    @Test
    void recoverRefusesWrongWords() throws Exception {
        ShellHarness h = new ShellHarness(tmp);
        Run init = h.run(
                "--passphrase-file",
                h.passphraseFile.toString(),
                "--keyfile",
                tmp.resolve("a.key").toString(),
                "id",
                "init");
        List<String> words = words(init.out());
        Run tooFew = h.run(
                java.util.Map.of(),
                String.join(" ", words.subList(0, 23)),
                "--passphrase-file",
                h.passphraseFile.toString(),
                "id",
                "recover");
        assertEquals(ExitCodes.USAGE, tooFew.exit());
        assertTrue(tooFew.err().contains("expected 24 words, got 23"), tooFew.err());
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 7);
        List<String> fixed = new java.util.ArrayList<>(org.multiverse.scramble.suite.words.RecoveryWords.encode(seed));
        java.util.Collections.swap(fixed, 0, 5);
        Run swapped = h.run(
                java.util.Map.of(),
                String.join(" ", fixed),
                "--passphrase-file",
                h.passphraseFile.toString(),
                "id",
                "recover");
        assertEquals(ExitCodes.USAGE, swapped.exit(), swapped.out());
        assertTrue(swapped.err().contains("scramble-shell: recovery words: "), swapped.err());
        fixed.set(3, "notaword");
        Run unknown = h.run(
                java.util.Map.of(),
                String.join(" ", fixed),
                "--passphrase-file",
                h.passphraseFile.toString(),
                "id",
                "recover");
        assertEquals(ExitCodes.USAGE, unknown.exit());
        assertFalse(Files.exists(h.home.resolve("config/scramble/identity.key")), "nothing written on bad words");
    }

    @Test
    void wrongPassphraseIsOneLineAndExitThree() throws Exception {
        ShellHarness h = new ShellHarness(tmp);
        h.initIdentity();
        Path wrong = tmp.resolve("wrong");
        Files.writeString(wrong, "not it");
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
        Run r = h.run("--passphrase-file", wrong.toString(), "--agent", "host=sim:nobody", "-c", "agent ping");
        assertEquals(ExitCodes.REFUSED, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("wrong passphrase"), r.err());
    }

    @Test
    void groupReadablePassphraseFileIsRefusedNamingChmod() throws Exception {
        ShellHarness h = new ShellHarness(tmp);
        h.initIdentity();
        Files.setPosixFilePermissions(h.passphraseFile, PosixFilePermissions.fromString("rw-r-----"));
        Run r = h.run(
                "--passphrase-file", h.passphraseFile.toString(), "--agent", "host=sim:nobody", "-c", "agent ping");
        assertEquals(ExitCodes.REFUSED, r.exit());
        assertTrue(r.err().contains("chmod 600 " + h.passphraseFile), r.err());
    }

    @Test
    void worldReadableKeyFileIsRefusedNamingChmod() throws Exception {
        ShellHarness h = new ShellHarness(tmp);
        h.initIdentity();
        Path key = h.home.resolve("config/scramble/identity.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Run r = h.run(
                "--passphrase-file", h.passphraseFile.toString(), "--agent", "host=sim:nobody", "-c", "agent ping");
        assertEquals(ExitCodes.REFUSED, r.exit());
        assertTrue(r.err().contains("chmod 600 " + key), r.err());
        assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
    }

    @Test
    void missingIdentityAndUnknownSubcommandsAreUsageErrors() throws Exception {
        ShellHarness h = new ShellHarness(tmp);
        Run show = h.run("id", "show");
        assertEquals(ExitCodes.USAGE, show.exit());
        assertTrue(show.err().contains("scramble-shell id init"), show.err());
        assertEquals(ExitCodes.USAGE, h.run("id", "frobnicate").exit());
        assertEquals(ExitCodes.USAGE, h.run("id").exit());
        assertEquals(ExitCodes.USAGE, h.run("id", "show", "extra").exit());
    }

    @Test
    void defaultArgon2ParametersStayM64MiBT3() {
        String saved = System.getProperty(KeyFileParams.TESTING_PROPERTY);
        System.clearProperty(KeyFileParams.TESTING_PROPERTY);
        try {
            Argon2Params p = KeyFileParams.forNewKeyFile(new PrintStream(new ByteArrayOutputStream()));
            assertEquals(64 * 1024, p.memoryKiB());
            assertEquals(3, p.iterations());
        } finally {
            if (saved != null) {
                System.setProperty(KeyFileParams.TESTING_PROPERTY, saved);
            }
        }
    }

    @Test
    void passphraseFileEdgeCases() throws Exception {
        Path empty = tmp.resolve("empty");
        Files.writeString(empty, "\nsecond line");
        Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rw-------"));
        assertEquals(
                "starts with an empty line", message(new PassphraseFile(empty)).replaceAll(".*file \\S+ ", ""));
        Path big = tmp.resolve("big");
        Files.write(big, new byte[PassphraseFile.MAX_BYTES + 1]);
        Files.setPosixFilePermissions(big, PosixFilePermissions.fromString("rw-------"));
        assertTrue(message(new PassphraseFile(big)).contains("larger than"));
        Path binary = tmp.resolve("binary");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 'a'});
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rw-------"));
        assertTrue(message(new PassphraseFile(binary)).contains("not UTF-8"));
        assertTrue(message(new PassphraseFile(tmp.resolve("absent"))).contains("does not exist"));
        assertTrue(message(new PassphraseFile(tmp)).contains("not a regular file"));
        Path crlf = tmp.resolve("crlf");
        Files.writeString(crlf, "pässword\r\n");
        Files.setPosixFilePermissions(crlf, PosixFilePermissions.fromString("rw-------"));
        char[] p = new PassphraseFile(crlf).existing("");
        assertEquals("pässword", new String(p));
        Arrays.fill(p, '\0');
    }

    private static String message(PassphraseFile f) {
        try {
            f.existing("");
            throw new AssertionError("accepted");
        } catch (org.multiverse.scramble.shell.ShellFailure e) {
            return e.getMessage();
        }
    }

    static List<String> words(String out) {
        Matcher m = WORD.matcher(out);
        List<String> w = new java.util.ArrayList<>();
        while (m.find()) {
            w.add(m.group(1));
        }
        return w;
    }

    static String idIn(String out) {
        Matcher m = Pattern.compile("(scr1[a-z2-7]+)").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }
}
