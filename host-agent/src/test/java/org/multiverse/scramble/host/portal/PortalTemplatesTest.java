package org.multiverse.scramble.host.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortalTemplatesTest {

    /** Surefire runs in the module folder, where the editable tree lives. */
    private static final Path TREE = Path.of("templates");

    @Test
    void indexMatchesTheFolderTreeAndTheJarCopy() throws Exception {
        List<String> onDisk;
        try (Stream<Path> files = Files.walk(TREE)) {
            onDisk = files.filter(p -> p.getFileName().toString().equals(PortalTemplates.FILE))
                    .map(p -> TREE.relativize(p.getParent()).toString())
                    .sorted()
                    .toList();
        }
        List<String> fromFolder = PortalTemplates.fromDirectory(TREE).all().stream()
                .map(PortalTemplate::path)
                .sorted()
                .toList();
        List<String> fromJar = PortalTemplates.fromClasspath().all().stream()
                .map(PortalTemplate::path)
                .sorted()
                .toList();
        assertEquals(onDisk, fromFolder);
        assertEquals(onDisk, fromJar);
        for (String required : List.of(
                "application/browser/chromium",
                "application/browser/firefox",
                "application/browser/torbrowser",
                "application/console",
                "application/filebrowser",
                "application/media",
                "application/steam",
                "application/project/audio",
                "application/project/visual",
                "application/project/development/hardware/go",
                "application/project/development/software/c",
                "application/project/development/software/cpp",
                "application/project/development/software/ruby",
                "application/project/development/software/rust",
                "controller/router",
                "controller/user",
                "service/client/torrent",
                "service/crypto/wallet/bitcoin",
                "service/crypto/wallet/ethereum-classic",
                "service/router/galaxy",
                "service/router/star",
                "service/router/universe",
                "service/server/web")) {
            assertTrue(onDisk.contains(required), required);
        }
    }

    @Test
    void routersAreSmallAndTypesFollowTheTree() throws Exception {
        for (PortalTemplate t : PortalTemplates.fromClasspath().all()) {
            PortalDefinition d = t.defaults();
            assertEquals(t.path().substring(0, t.path().indexOf('/')), d.type().tomlName(), t.path());
            assertTrue(d.image() != null && d.ephemeral(), t.path());
            if (t.path().startsWith("service/router/")) {
                assertEquals(1, d.cpus(), t.path());
                assertEquals(256, d.memoryMiB(), t.path());
                assertEquals(
                        t.path().substring("service/router/".length()),
                        d.network().tomlName());
            }
        }
    }

    @Test
    void brokenTreesAreRefusedWithFileAndLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("INDEX"), "# list\nservice/x\n");
        DefinitionException missing = assertThrows(DefinitionException.class, () -> PortalTemplates.fromDirectory(dir));
        assertEquals(
                "INDEX:2: template service/x is listed but service/x/portal.toml is missing", missing.getMessage());
        Files.createDirectories(dir.resolve("service/x"));
        Files.writeString(
                dir.resolve("service/x/portal.toml"), "type = \"service\"\ncpus = 1\nmemory_mib = 64\nnet = 1\n");
        DefinitionException unknown = assertThrows(DefinitionException.class, () -> PortalTemplates.fromDirectory(dir));
        assertTrue(unknown.getMessage().startsWith("service/x/portal.toml:4: unknown key 'net'"), unknown.getMessage());
        Files.writeString(dir.resolve("INDEX"), "../etc\n");
        assertTrue(assertThrows(DefinitionException.class, () -> PortalTemplates.fromDirectory(dir))
                .getMessage()
                .startsWith("INDEX:1: not a template path"));
    }
}
