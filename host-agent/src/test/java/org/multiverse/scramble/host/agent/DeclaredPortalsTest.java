package org.multiverse.scramble.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeclaredPortalsTest {

    /** Found while fuzzing the definition parser: a declaration that is not UTF-8 stopped the agent naming no file. */
    @Test
    void aDeclarationThatIsNotUtf8IsRefusedNamingTheFile(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("portals"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path file = dir.resolve("uc.toml");
        Files.write(file, new byte[] {'n', 'a', 'm', 'e', ' ', '=', ' ', '"', (byte) 0xff, '"', '\n'});
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DeclaredPortals.load(dir, null));
        assertEquals(file + ": not UTF-8 text", e.getMessage());
    }
}
