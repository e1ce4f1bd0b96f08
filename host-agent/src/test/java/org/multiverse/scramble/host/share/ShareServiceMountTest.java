package org.multiverse.scramble.host.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The share service with real bind mounts, as root. */
class ShareServiceMountTest {

    private static final String PORTAL = "application/editor";

    @TempDir
    Path base;

    private Path home;
    private Path share;
    private ShareService service;

    @BeforeEach
    void setUp() throws Exception {
        Privilege.requireCapSysAdmin();
        base = base.toRealPath();
        home = Files.createDirectories(base.resolve("home"));
        share = Files.createDirectories(base.resolve("portals/application/editor"))
                .resolve("share");
        service = new ShareService(base.resolve("portals"), List.of(home), new SystemMounter());
    }

    @AfterEach
    void cleanUp() throws Exception {
        MountCleanup.unmountEverythingUnder(base);
    }

    @Test
    void linksReadOnlyAndReadWriteFoldersThatTheShareShowsLive() throws Exception {
        Path docs = Files.createDirectories(home.resolve("docs"));
        Path out = Files.createDirectories(home.resolve("out"));
        service.link(PORTAL, docs.toString(), null, true);
        service.link(PORTAL, out.toString(), "results", false);

        Files.writeString(docs.resolve("new.txt"), "written on the host after linking");
        assertEquals("written on the host after linking", Files.readString(share.resolve("docs/new.txt")));
        FileSystemException refused =
                assertThrows(FileSystemException.class, () -> Files.writeString(share.resolve("docs/evil.txt"), "x"));
        assertTrue(String.valueOf(refused.getReason()).contains("Read-only"), refused::toString);

        Files.writeString(share.resolve("results/answer.txt"), "from the share side");
        assertEquals("from the share side", Files.readString(out.resolve("answer.txt")));
    }

    @Test
    void unlinkRemovesTheMountAndItsFolder() throws Exception {
        Path docs = Files.createDirectories(home.resolve("docs"));
        Files.writeString(docs.resolve("keep.txt"), "keep");
        service.link(PORTAL, docs.toString(), null, true);
        Unlinked unlinked = service.unlink(PORTAL, "docs");
        assertEquals(UnmountOutcome.UNMOUNTED, unlinked.unmount());
        assertTrue(unlinked.mountPointRemoved());
        assertFalse(Files.exists(share.resolve("docs")));
        assertFalse(new SystemMounter().isMounted(share.resolve("docs")));
        assertEquals("keep", Files.readString(docs.resolve("keep.txt")), "host data untouched");
    }

    @Test
    void restoreAllRemountsAfterTheMountsWereRemoved() throws Exception {
        Path docs = Files.createDirectories(home.resolve("docs"));
        Path out = Files.createDirectories(home.resolve("out"));
        Files.writeString(docs.resolve("a.txt"), "a");
        service.link(PORTAL, docs.toString(), null, true);
        service.link(PORTAL, out.toString(), null, false);
        MountCleanup.unmountEverythingUnder(share);
        assertFalse(Files.exists(share.resolve("docs/a.txt")));

        ShareService restarted = new ShareService(base.resolve("portals"), List.of(home), new SystemMounter());
        assertEquals(
                List.of(
                        new RestoreOutcome(PORTAL, "docs", RestoreOutcome.Status.RESTORED, ""),
                        new RestoreOutcome(PORTAL, "out", RestoreOutcome.Status.RESTORED, "")),
                restarted.restoreAll());
        assertEquals("a", Files.readString(share.resolve("docs/a.txt")));
        assertThrows(
                FileSystemException.class,
                () -> Files.writeString(share.resolve("docs/b.txt"), "b"),
                "still read-only");
        Files.writeString(share.resolve("out/c.txt"), "c");
        assertEquals("c", Files.readString(out.resolve("c.txt")));

        assertEquals(
                List.of(RestoreOutcome.Status.ALREADY_MOUNTED, RestoreOutcome.Status.ALREADY_MOUNTED),
                restarted.restoreAll().stream().map(RestoreOutcome::status).toList());
    }

    @Test
    void hostileRequestsMountNothing() throws Exception {
        Files.createDirectories(home.resolve("a,b"));
        Files.createSymbolicLink(home.resolve("escape"), Path.of("/etc"));
        for (String hostile : List.of(
                home + "/a,b",
                home + "/escape",
                "/etc",
                "/proc/self/root",
                home + "/../" + home.getFileName(),
                share.toString())) {
            assertThrows(ShareException.class, () -> service.link(PORTAL, hostile, "x", false), hostile);
        }
        assertEquals(
                List.of(),
                MountTable.read().stream()
                        .filter(m -> m.startsWith(base.toString()))
                        .toList());
    }
}
