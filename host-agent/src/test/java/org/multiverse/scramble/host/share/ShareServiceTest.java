package org.multiverse.scramble.host.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiverse.scramble.host.share.Refusals.assertRefused;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's bookkeeping, with a recording mounter (real mounts: ShareServiceMountTest). */
class ShareServiceTest {

    private static final String PORTAL = "application/browser/firefox";

    @TempDir
    Path base;

    private Path allowed;
    private Path portalDir;
    private Path share;
    private RecordingMounter mounter;
    private ShareService service;

    @BeforeEach
    void setUp() throws IOException {
        base = base.toRealPath();
        allowed = Files.createDirectories(base.resolve("home"));
        portalDir = Files.createDirectories(base.resolve("portals/application/browser/firefox"));
        share = portalDir.resolve("share");
        mounter = new RecordingMounter();
        service = new ShareService(base.resolve("portals"), List.of(allowed), mounter);
    }

    private Path folder(String name) throws IOException {
        return Files.createDirectories(allowed.resolve(name));
    }

    @Test
    void linksAFolderAsABindMountUnderTheShareAndRecordsIt() throws Exception {
        Path music = folder("music");
        ShareLink link = service.link(PORTAL, music.toString(), null, true);
        assertEquals(new ShareLink("music", music, true), link);
        assertEquals(List.of("bind " + music + " " + share.resolve("music") + " ro"), mounter.binds());
        assertTrue(Files.isDirectory(share.resolve("music")));
        assertEquals(List.of(link), service.list(PORTAL));
        assertEquals(List.of(link), LinkStore.load(portalDir));
    }

    @Test
    void canonicalisesTheHostPathBeforeMountingIt() throws Exception {
        Path real = folder("real/photos");
        Files.createSymbolicLink(allowed.resolve("pics"), real);
        ShareLink link = service.link(PORTAL, allowed + "/./pics", "pics", false);
        assertEquals(real, link.hostPath());
        assertEquals(List.of("bind " + real + " " + share.resolve("pics") + " rw"), mounter.binds());
    }

    @Test
    void writesTheGuestFstabIntoTheShareOnEveryChange() throws Exception {
        String music = folder("music").toString();
        String work = folder("work").toString();
        Path fstabFile = share.resolve(".multiverse/fstab");

        service.link(PORTAL, music, null, true);
        assertEquals(service.fstab(PORTAL), Files.readString(fstabFile));
        assertTrue(
                service.fstab(PORTAL)
                        .contains(" 9p trans=virtio,version=9p2000.L,msize=512000," + "access=client,nofail,ro 0 0\n"),
                service.fstab(PORTAL));

        service.link(PORTAL, work, "work", false);
        assertEquals(service.fstab(PORTAL), Files.readString(fstabFile));
        assertTrue(Files.readString(fstabFile).contains(",nofail,rw 0 0\n"));
        assertTrue(Files.readString(fstabFile).contains("#   /mnt/multiverse/work (read-write)\n"));
        assertFalse(Files.readString(fstabFile).contains(allowed.toString()), "host paths leaked");

        service.unlink(PORTAL, "work");
        assertTrue(Files.readString(fstabFile).contains(",nofail,ro 0 0\n"));
        assertFalse(Files.exists(share.resolve(".multiverse/fstab.tmp")));
    }

    @Test
    void usesTheConfiguredGuestMountPoint() throws Exception {
        ShareService custom = new ShareService(
                PortalDirectories.under(base.resolve("portals")),
                List.of(allowed),
                mounter,
                FstabGenerator.forMountPoint("/srv/host"));
        assertTrue(custom.fstab(PORTAL).contains("multiverse-portal /srv/host 9p "));
    }

    @Test
    void replacesAGuestMadeFileWhereItsFstabFolderBelongs() throws Exception {
        Files.createDirectories(share);
        Files.writeString(share.resolve(".multiverse"), "guest was here");
        service.link(PORTAL, folder("music").toString(), null, true);
        assertEquals(service.fstab(PORTAL), Files.readString(share.resolve(".multiverse/fstab")));
    }

    @Test
    void refusesASecondLinkWithTheSameName() throws Exception {
        service.link(PORTAL, folder("music").toString(), "m", true);
        assertRefused(
                ShareException.Kind.ALREADY_EXISTS,
                "already has a link named m",
                () -> service.link(PORTAL, folder("other").toString(), "m", true));
        assertEquals(1, mounter.binds().size());
    }

    @Test
    void refusesToMountOverWhatTheGuestPutInTheShare() throws Exception {
        Files.createDirectories(share.resolve("full"));
        Files.writeString(share.resolve("full/keep.txt"), "guest data");
        Files.writeString(share.resolve("file"), "guest data");
        Files.createSymbolicLink(share.resolve("link"), Path.of("/etc"));
        String music = folder("music").toString();
        assertRefused(
                ShareException.Kind.ALREADY_EXISTS,
                "non-empty folder named full",
                () -> service.link(PORTAL, music, "full", true));
        assertRefused(
                ShareException.Kind.ALREADY_EXISTS,
                "holds a file named file",
                () -> service.link(PORTAL, music, "file", true));
        assertRefused(
                ShareException.Kind.ALREADY_EXISTS,
                "holds a file named link",
                () -> service.link(PORTAL, music, "link", true));
        assertEquals(List.of(), mounter.binds());
        assertEquals("guest data", Files.readString(share.resolve("full/keep.txt")));

        Files.createDirectories(share.resolve("empty"));
        service.link(PORTAL, music, "empty", true);
        assertEquals(1, mounter.binds().size());
    }

    @Test
    void aFailedMountLeavesNothingBehind() throws Exception {
        mounter.nextBindFailure = new ShareException(ShareException.Kind.INTERNAL, "mount: boom");
        assertRefused(
                ShareException.Kind.INTERNAL,
                "mount: boom",
                () -> service.link(PORTAL, folder("music").toString(), null, false));
        assertFalse(Files.exists(share.resolve("music")));
        assertEquals(List.of(), service.list(PORTAL));
        assertFalse(Files.exists(portalDir.resolve("share-links")));
    }

    @Test
    void aFailureToRecordTheLinkUndoesTheMount() throws Exception {
        service.link(PORTAL, folder("music").toString(), null, true);
        // A directory where the temporary links file goes makes the save fail.
        Files.createDirectories(portalDir.resolve("share-links.tmp/blocker"));
        assertRefused(
                ShareException.Kind.INTERNAL,
                "cannot save the links",
                () -> service.link(PORTAL, folder("work").toString(), null, false));
        assertEquals(List.of(share.resolve("music")), List.copyOf(mounter.mounted));
        assertFalse(Files.exists(share.resolve("work")));
        assertTrue(mounter.calls.contains("unmount " + share.resolve("work")));
    }

    @Test
    void refusesMoreLinksThanAShareMayHave() throws Exception {
        String music = folder("music").toString();
        for (int i = 0; i < LinkStore.MAX_LINKS; i++) {
            service.link(PORTAL, music, "m" + i, true);
        }
        assertRefused(
                ShareException.Kind.INVALID_ARGUMENT,
                "already has 64 links",
                () -> service.link(PORTAL, music, "one-more", true));
    }

    @Test
    void unlinkUnmountsRemovesTheFolderAndForgets() throws Exception {
        Path music = folder("music");
        ShareLink link = service.link(PORTAL, music.toString(), null, true);
        Unlinked unlinked = service.unlink(PORTAL, "music");
        assertEquals(new Unlinked(link, UnmountOutcome.UNMOUNTED, true), unlinked);
        assertFalse(Files.exists(share.resolve("music")));
        assertEquals(List.of(), service.list(PORTAL));
        assertTrue(Files.isDirectory(music), "the host folder itself must stay");
        assertRefused(ShareException.Kind.NOT_FOUND, "has no link named music", () -> service.unlink(PORTAL, "music"));
        assertRefused(
                ShareException.Kind.INVALID_ARGUMENT, "contains '/'", () -> service.unlink(PORTAL, "../share-links"));
    }

    @Test
    void unlinkReportsALazyDetachWhenTheGuestHoldsFilesOpen() throws Exception {
        service.link(PORTAL, folder("music").toString(), null, true);
        mounter.busy = true;
        assertEquals(
                UnmountOutcome.DETACHED_LAZILY, service.unlink(PORTAL, "music").unmount());
    }

    @Test
    void unlinkWithoutPrivilegeChangesNothing() throws Exception {
        service.link(PORTAL, folder("music").toString(), null, true);
        mounter.privileged = false;
        assertRefused(
                ShareException.Kind.PERMISSION,
                "bind mounts need CAP_SYS_ADMIN",
                () -> service.unlink(PORTAL, "music"));
        assertEquals(1, service.list(PORTAL).size());
        assertTrue(mounter.isMounted(share.resolve("music")));
    }

    @Test
    void restoreAllRemountsWhatIsMissingAfterARestart() throws Exception {
        Files.createDirectories(base.resolve("portals/service/router/star"));
        service.link(PORTAL, folder("music").toString(), null, true);
        service.link(PORTAL, folder("work").toString(), null, false);
        service.link("service/router/star", folder("conf").toString(), null, true);

        // The host rebooted: nothing is mounted, a new agent starts with a new service.
        RecordingMounter afterReboot = new RecordingMounter();
        afterReboot.mounted.add(share.resolve("work")); // this one survived
        ShareService restarted = new ShareService(base.resolve("portals"), List.of(allowed), afterReboot);
        List<RestoreOutcome> outcomes = restarted.restoreAll();

        assertEquals(
                List.of(
                        new RestoreOutcome(PORTAL, "music", RestoreOutcome.Status.RESTORED, ""),
                        new RestoreOutcome(PORTAL, "work", RestoreOutcome.Status.ALREADY_MOUNTED, ""),
                        new RestoreOutcome("service/router/star", "conf", RestoreOutcome.Status.RESTORED, "")),
                outcomes);
        assertEquals(
                List.of(
                        "bind " + allowed.resolve("music") + " " + share.resolve("music") + " ro",
                        "bind " + allowed.resolve("conf") + " " + base.resolve("portals/service/router/star/share/conf")
                                + " ro"),
                afterReboot.binds());
    }

    @Test
    void restoreAllRechecksPolicyAndKeepsGoingPastFailures() throws Exception {
        service.link(PORTAL, folder("gone").toString(), null, true);
        service.link(PORTAL, folder("escaped").toString(), null, true);
        service.link(PORTAL, folder("fine").toString(), null, true);
        Files.delete(allowed.resolve("gone"));
        Files.delete(allowed.resolve("escaped"));
        Files.createSymbolicLink(allowed.resolve("escaped"), Path.of("/etc"));
        Files.createDirectories(base.resolve("portals/service/broken"));
        Files.writeString(base.resolve("portals/service/broken/share-links"), "garbage\n");

        RecordingMounter afterReboot = new RecordingMounter();
        List<RestoreOutcome> outcomes =
                new ShareService(base.resolve("portals"), List.of(allowed), afterReboot).restoreAll();

        assertEquals(4, outcomes.size(), outcomes::toString);
        assertEquals(RestoreOutcome.Status.FAILED, outcomes.get(0).status());
        assertTrue(
                outcomes.get(0).message().contains("does not exist"),
                outcomes.get(0).message());
        assertEquals(RestoreOutcome.Status.FAILED, outcomes.get(1).status());
        assertTrue(
                outcomes.get(1).message().contains("is not under an allowed root once symbolic links are followed"),
                outcomes.get(1).message());
        assertEquals(new RestoreOutcome(PORTAL, "fine", RestoreOutcome.Status.RESTORED, ""), outcomes.get(2));
        assertEquals("service/broken", outcomes.get(3).portal());
        assertEquals("*", outcomes.get(3).name());
        assertTrue(
                outcomes.get(3).message().contains("line 1 is not"),
                outcomes.get(3).message());
        assertEquals(1, afterReboot.binds().size());
        assertEquals(3, service.list(PORTAL).size(), "failed links stay listed");
    }

    @Test
    void restoreAllNeverWalksIntoAShare() throws Exception {
        service.link(PORTAL, folder("music").toString(), null, true);
        // A guest could create a folder tree with a links file inside its share.
        Files.createDirectories(share.resolve("fake/portal"));
        Files.writeString(share.resolve("fake/portal/share-links"), "link\tx\trw\t/etc\n");
        assertEquals(
                List.of(PORTAL),
                PortalDirectories.under(base.resolve("portals")).portals());
    }

    @Test
    void theShareRootIsCreatedAndAUsableQemuExport() throws Exception {
        Path root = service.shareRoot(PORTAL);
        assertEquals(share, root);
        assertTrue(Files.isDirectory(root));
        assertTrue(NinePShare.qemuArguments(root).get(1).contains("path=" + share + ","));
    }

    @Test
    void refusesAShareRootThatIsASymlink() throws Exception {
        Files.createSymbolicLink(share, allowed);
        assertRefused(
                ShareException.Kind.INTERNAL,
                "is not a plain folder",
                () -> service.link(PORTAL, folder("music").toString(), null, true));
    }

    @Test
    void releaseLeavesAnEmptyShareOnceEveryLinkIsGone() throws Exception {
        service.link(PORTAL, folder("music").toString(), null, true);
        assertRefused(ShareException.Kind.INVALID_ARGUMENT, "still has links (music)", () -> service.release(PORTAL));
        service.unlink(PORTAL, "music");
        service.release(PORTAL);
        try (java.util.stream.Stream<Path> entries = Files.list(share)) {
            assertEquals(List.of(), entries.toList());
        }
        assertFalse(Files.exists(portalDir.resolve("share-links")));
    }

    @Test
    void acceptsAnyPortalDirectoriesProvider() throws Exception {
        PortalDirectories one = new PortalDirectories() {
            @Override
            public Optional<Path> portalDir(String portal) {
                return portal.equals("only") ? Optional.of(portalDir) : Optional.empty();
            }

            @Override
            public List<String> portals() {
                return List.of("only");
            }
        };
        ShareService custom = new ShareService(one, List.of(allowed), mounter, new FstabGenerator());
        custom.link("only", folder("music").toString(), null, true);
        assertEquals(1, custom.list("only").size());
    }
}
