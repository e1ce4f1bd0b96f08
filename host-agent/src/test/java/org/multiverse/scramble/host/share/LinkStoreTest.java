package org.multiverse.scramble.host.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.multiverse.scramble.host.share.Refusals.assertRefused;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkStoreTest {

    private static final ShareException.Kind INTERNAL = ShareException.Kind.INTERNAL;

    @TempDir
    Path portalDir;

    private List<ShareLink> parse(String text) throws ShareException {
        return LinkStore.parse(portalDir.resolve("share-links"), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void savesAndLoadsLinksInOrder() throws Exception {
        assertEquals(List.of(), LinkStore.load(portalDir));
        List<ShareLink> links =
                List.of(new ShareLink("b", Path.of("/data/b"), true), new ShareLink("a", Path.of("/data/ä/a"), false));
        LinkStore.save(portalDir, links);
        assertEquals(links, LinkStore.load(portalDir));
        assertEquals(
                "link\tb\tro\t/data/b",
                Files.readAllLines(portalDir.resolve("share-links")).get(1));
        assertFalse(Files.exists(portalDir.resolve("share-links.tmp")));
        LinkStore.save(portalDir, List.of());
        assertEquals(List.of(), LinkStore.load(portalDir));
    }

    @Test
    void skipsCommentsAndBlankLines() throws ShareException {
        assertEquals(
                List.of(new ShareLink("x", Path.of("/d/x"), false)),
                parse("# header\n\n# another\nlink\tx\trw\t/d/x\n"));
    }

    @Test
    void refusesMalformedFilesNamingTheLine() throws IOException {
        assertRefused(
                INTERNAL, "line 2 is not 'link<TAB>NAME<TAB>ro|rw<TAB>PATH'", () -> parse("# h\nlink x rw /d/x\n"));
        assertRefused(INTERNAL, "line 1 is not", () -> parse("link\tx\trw\n"));
        assertRefused(INTERNAL, "line 1 is not", () -> parse("link\tx\trw\t/d\textra\n"));
        assertRefused(INTERNAL, "line 1 is not", () -> parse("mount\tx\trw\t/d/x\n"));
        assertRefused(INTERNAL, "line 1 has mode \"rx\" instead of ro or rw", () -> parse("link\tx\trx\t/d/x\n"));
        assertRefused(INTERNAL, "line 1: link name \"../x\" contains '/'", () -> parse("link\t../x\trw\t/d/x\n"));
        assertRefused(INTERNAL, "line 1 has an unusable host path \"d/x\"", () -> parse("link\tx\trw\td/x\n"));
        assertRefused(INTERNAL, "unusable host path", () -> parse("link\tx\trw\t/d/\u001bx\n"));
        assertRefused(
                INTERNAL, "line 2 repeats the link name x", () -> parse("link\tx\trw\t/d/x\nlink\tx\tro\t/d/y\n"));
        assertRefused(
                INTERNAL,
                "it is not UTF-8",
                () -> LinkStore.parse(
                        portalDir, new byte[] {'l', 'i', 'n', 'k', '\t', (byte) 0xC3, '\t', 'r', 'w', '\t', '/'}));
        assertRefused(INTERNAL, "byte limit", () -> LinkStore.parse(portalDir, new byte[LinkStore.MAX_FILE_BYTES + 1]));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= LinkStore.MAX_LINKS; i++) {
            many.append("link\tl").append(i).append("\trw\t/d/").append(i).append('\n');
        }
        assertRefused(INTERNAL, "more than 64 links", () -> parse(many.toString()));

        Files.createSymbolicLink(portalDir.resolve("share-links"), Path.of("/etc/passwd"));
        assertRefused(INTERNAL, "it is a symbolic link", () -> LinkStore.load(portalDir));
    }

    @Test
    void aSavedListAlwaysLoadsBack() throws ShareException {
        List<ShareLink> links = new ArrayList<>();
        for (int i = 0; i < LinkStore.MAX_LINKS; i++) {
            links.add(new ShareLink("l" + i, Path.of("/d/" + "x".repeat(i * 60)), i % 2 == 0));
        }
        LinkStore.save(portalDir, links);
        assertEquals(links, LinkStore.load(portalDir));
    }
}
