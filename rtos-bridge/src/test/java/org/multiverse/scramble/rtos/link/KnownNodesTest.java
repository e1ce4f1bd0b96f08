package org.multiverse.scramble.rtos.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.suite.pin.PinFileException;

/** The bridge's node pins, now kept by the project's one strict pin store. */
class KnownNodesTest {

    @TempDir
    Path state;

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    private Path file() {
        return state.resolve(KnownNodes.FILE);
    }

    @Test
    void theFirstHelloPinsAndTheSameHelloPassesAfterARestart() throws Exception {
        new KnownNodes(state).check("sim", "sim-1", key(1));
        assertEquals(
                "# NAME NODE_ID X25519_PUBLIC_KEY (pinned at first hello)\nsim sim-1 "
                        + HexFormat.of().formatHex(key(1)) + "\n",
                Files.readString(file()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
        KnownNodes reopened = new KnownNodes(state);
        reopened.check("sim", "sim-1", key(1));
        reopened.check("other", "sim-2", key(2));
        assertTrue(Files.readString(file())
                .endsWith("\nother sim-2 " + HexFormat.of().formatHex(key(2)) + "\n"));
    }

    @Test
    void anotherKeyOrIdIsALoudRefusalShowingBoth() throws Exception {
        KnownNodes known = new KnownNodes(state);
        known.check("sim", "sim-1", key(1));
        RtosException key = assertThrows(RtosException.class, () -> known.check("sim", "sim-1", key(2)));
        assertEquals(RtosException.Kind.UNAVAILABLE, key.kind());
        assertTrue(
                key.getMessage()
                        .startsWith("NODE IDENTITY HAS CHANGED: node sim is pinned as sim-1 "
                                + HexFormat.of().formatHex(key(1)) + " but presents sim-1 "
                                + HexFormat.of().formatHex(key(2))
                                + "; refused."),
                key.getMessage());
        assertTrue(key.getMessage().endsWith("remove its line from " + file() + " to re-enrol"), key.getMessage());
        RtosException id = assertThrows(RtosException.class, () -> known.check("sim", "sim-9", key(1)));
        assertTrue(id.getMessage().contains("but presents sim-9 "), id.getMessage());
        assertTrue(Files.readString(file()).contains("sim sim-1 "), "the pin is unchanged");
    }

    /** A file the former KnownNodes wrote (umask mode 0644, its header, sorted lines) reads as it is. */
    @Test
    void aFileInTheFormerLayoutIsReadAsItIs() throws Exception {
        Files.createDirectories(state);
        Files.writeString(
                file(),
                "# NAME NODE_ID X25519_PUBLIC_KEY (pinned at first hello)\n" + "a a-1 "
                        + HexFormat.of().formatHex(key(3)) + "\nsim sim-1 "
                        + HexFormat.of().formatHex(key(1)) + "\n");
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r--r--"));
        KnownNodes known = new KnownNodes(state);
        known.check("sim", "sim-1", key(1));
        known.check("a", "a-1", key(3));
        assertThrows(RtosException.class, () -> known.check("a", "a-1", key(1)));
    }

    /** The former KnownNodes skipped lines it could not read; the strict store names them. */
    @Test
    void aMalformedFileStopsTheBridgeWithFileAndLine() throws Exception {
        Files.createDirectories(state);
        String good = "sim sim-1 " + HexFormat.of().formatHex(key(1));
        assertEquals(
                file() + ":2: expected \"NAME NODE_ID X25519_PUBLIC_KEY\", found 2 fields",
                malformed("# header\nsim sim-1\n"));
        assertEquals(
                file() + ":1: bad node identity for sim: public key: expected 32 bytes as lower-case hex",
                malformed("sim sim-1 ABCD\n"));
        assertTrue(malformed("sim SIM " + HexFormat.of().formatHex(key(1)) + "\n")
                .startsWith(file() + ":1: bad node identity for sim: node id \"SIM\""));
        assertEquals(file() + ":2: node \"sim\" is pinned twice", malformed(good + "\n" + good + "\n"));
    }

    @Test
    void aFileOthersMayWriteIsRefused() throws Exception {
        Files.createDirectories(state);
        Files.writeString(file(), "");
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-rw-rw-"));
        PinFileException e = assertThrows(PinFileException.class, () -> new KnownNodes(state));
        assertTrue(e.getMessage().contains("replace a pinned node key. Run: chmod 600 " + file()), e.getMessage());
    }

    @Test
    void aHelloWithAnImpossibleKeyIsRefusedNotPinned() throws Exception {
        KnownNodes known = new KnownNodes(state);
        RtosException e = assertThrows(RtosException.class, () -> known.check("sim", "sim-1", new byte[5]));
        assertTrue(e.getMessage().startsWith("node sim hello: public key"), e.getMessage());
        assertTrue(Files.notExists(file()));
    }

    private String malformed(String content) throws IOException {
        Files.writeString(file(), content);
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-------"));
        return assertThrows(PinFileException.class, () -> new KnownNodes(state)).getMessage();
    }
}
