package org.multiverse.scramble.host.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiverse.scramble.host.share.Refusals.assertRefused;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and mistaken link requests: each is refused with its own reason, and nothing is
 * mounted, created in the share, or recorded.
 */
class ShareServiceRefusalTest {

    private static final String PORTAL = "application/test";
    private static final ShareException.Kind INVALID = ShareException.Kind.INVALID_ARGUMENT;
    private static final ShareException.Kind PERMISSION = ShareException.Kind.PERMISSION;
    private static final ShareException.Kind NOT_FOUND = ShareException.Kind.NOT_FOUND;

    @TempDir
    Path base;

    private Path allowed;
    private Path portalDir;
    private Path share;
    private RecordingMounter mounter;
    private ShareService service;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(base.resolve("allowed"));
        portalDir = Files.createDirectories(base.resolve("portals/application/test"));
        share = portalDir.resolve("share");
        mounter = new RecordingMounter();
        service = new ShareService(base.resolve("portals"), List.of(allowed), mounter);
    }

    @AfterEach
    void nothingHappened() throws IOException {
        assertEquals(List.of(), mounter.binds());
        assertFalse(Files.exists(portalDir.resolve("share-links")), "a links file was written");
        if (Files.exists(share)) {
            try (Stream<Path> entries = Files.list(share)) {
                assertEquals(List.of(), entries.toList(), "something was created in the share");
            }
        }
    }

    private Path folder(String name) throws IOException {
        return Files.createDirectories(allowed.resolve(name));
    }

    private void link(String hostPath) throws ShareException {
        service.link(PORTAL, hostPath, "x", false);
    }

    @Test
    void refusesCharactersThatMeanSomethingToMountQemuOrFstab() throws IOException {
        assertRefused(INVALID, "contains a comma", () -> link(folder("a,b").toString()));
        assertRefused(INVALID, "contains '='", () -> link(folder("a=b").toString()));
        assertRefused(INVALID, "contains a space", () -> link(folder("a b").toString()));
        assertRefused(
                INVALID, "contains a line break", () -> link(folder("a\nb").toString()));
        assertRefused(
                INVALID, "contains a line break", () -> link(folder("a\rb").toString()));
        assertRefused(
                INVALID,
                "contains a control character",
                () -> link(folder("a\u001bb").toString()));
        assertRefused(INVALID, "contains a backslash", () -> link(folder("a\\b").toString()));
        assertRefused(INVALID, "contains a NUL character", () -> link(allowed + "/a\0b"));
        assertRefused(INVALID, "contains a space", () -> link(allowed + "/a\u00a0b"));
    }

    @Test
    void quotesTheHostilePathInsteadOfEchoingIt() {
        ShareException refused = assertRefused(INVALID, "line break", () -> link("/x\n\u001b[2Jevil"));
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
        assertFalse(refused.getMessage().contains("\u001b"), refused.getMessage());
    }

    @Test
    void refusesParentReferencesRelativeEmptyAndOverlongPaths() throws IOException {
        folder("sub");
        assertRefused(INVALID, "contains '..'", () -> link(allowed + "/sub/../../../etc"));
        assertRefused(INVALID, "contains '..'", () -> link(allowed + "/sub/.."));
        assertRefused(INVALID, "is not absolute", () -> link("allowed/sub"));
        assertRefused(INVALID, "host path is empty", () -> link(""));
        assertRefused(INVALID, "host path is empty", () -> link(null));
        assertRefused(INVALID, "at most 4096", () -> link("/" + "a".repeat(4096)));
    }

    @Test
    void refusesFoldersOutsideTheAllowedRoots() throws IOException {
        assertRefused(
                PERMISSION,
                "\"/etc\" is not under an allowed root once symbolic links are followed (allowed: "
                        + allowed.toRealPath() + ")",
                () -> link("/etc"));
        assertRefused(PERMISSION, "is not under an allowed root", () -> link("/"));
        assertRefused(PERMISSION, "is not under an allowed root", () -> link(base.toString()));
    }

    @Test
    void refusesSymlinksThatLeaveTheAllowedRoots() throws IOException {
        Files.createSymbolicLink(allowed.resolve("escape"), Path.of("/etc"));
        ShareException e = assertRefused(
                PERMISSION,
                "is not under an allowed root once symbolic links are followed",
                () -> link(allowed + "/escape"));
        assertFalse(e.getMessage().contains("/etc"), "where the link points is not said: " + e.getMessage());
        Path outside = Files.createDirectories(base.resolve("outside/deep"));
        Files.createSymbolicLink(folder("sub").resolve("up"), Path.of("../../outside"));
        e = assertRefused(PERMISSION, "is not under an allowed root", () -> link(allowed + "/sub/up"));
        assertFalse(e.getMessage().contains("outside"), e.getMessage());
        Files.createSymbolicLink(allowed.resolve("proc"), Path.of("/proc/self"));
        assertRefused(PERMISSION, "is not under an allowed root", () -> link(allowed + "/proc"));
        Files.createSymbolicLink(allowed.resolve("comma"), folder("c,d"));
        assertRefused(INVALID, "once symbolic links are followed, contains a comma", () -> link(allowed + "/comma"));
        // A loop leads nowhere known: refused by the same rule as a link that leaves.
        Files.createSymbolicLink(allowed.resolve("loop"), allowed.resolve("loop"));
        assertRefused(PERMISSION, "is not under an allowed root", () -> link(allowed + "/loop"));
        assertRefused(NOT_FOUND, "does not exist", () -> link(allowed + "/sub/missing"));
    }

    /**
     * Issue 14: refusing {@code share link} told the sender whether host paths outside the
     * allowed roots exist and where symbolic links point. Now one refusal states the rule for
     * all of them; the detail goes to the agent's log.
     */
    @Test
    void outsideTheRootsTheRefusalIsTheSameWhateverExistsAndTheLogHasTheDetail() throws IOException {
        Path outside = Files.createDirectories(base.resolve("outside/exists"));
        Files.createSymbolicLink(allowed.resolve("out"), outside);
        Files.createSymbolicLink(allowed.resolve("dangling"), base.resolve("outside/missing"));
        Files.createSymbolicLink(allowed.resolve("outdir"), base.resolve("outside"));
        Files.writeString(base.resolve("outside/file"), "x");
        List<String> probes = List.of(
                outside.toString(),
                base + "/outside/missing",
                base + "/outside/file",
                base + "/outside/file/below",
                "/nowhere/at/all",
                allowed + "/out",
                allowed + "/dangling",
                allowed + "/outdir/exists",
                allowed + "/outdir/missing",
                allowed + "/outdir/file");
        java.util.TreeSet<String> refusals = new java.util.TreeSet<>();
        List<java.util.logging.LogRecord> logged = new java.util.ArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(HostPathPolicy.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(capture);
        try {
            for (String probe : probes) {
                ShareException e = assertRefused(PERMISSION, "is not under an allowed root", () -> link(probe));
                refusals.add(e.getMessage().replace(Display.quote(probe), "PATH"));
            }
        } finally {
            log.removeHandler(capture);
        }
        assertEquals(1, refusals.size(), "one refusal whatever exists: " + refusals);
        assertFalse(refusals.first().contains("outside"), refusals.first());
        String detail = logged.stream()
                .map(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters()))
                .filter(m -> m.contains(Display.quote(allowed + "/out")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no log line for the symlink pointing out"));
        assertTrue(detail.contains(outside.toRealPath().toString()), detail);
    }

    @Test
    void refusesKernelPseudoFileSystems() {
        assertRefused(PERMISSION, "is in /proc; kernel pseudo file systems", () -> link("/proc/self/root"));
        assertRefused(PERMISSION, "is in /proc", () -> link("/proc"));
        assertRefused(PERMISSION, "is in /sys", () -> link("/sys/kernel"));
        assertRefused(PERMISSION, "is in /dev", () -> link("/dev/shm"));
    }

    @Test
    void refusesTheShareItselfAndTheAgentsOwnState() throws Exception {
        ShareService wide = new ShareService(base.resolve("portals"), List.of(base), mounter);
        Files.createDirectories(share.resolve(".multiverse"));
        assertRefused(
                PERMISSION, "is the portal's share itself", () -> wide.link(PORTAL, share.toString(), "x", false));
        assertRefused(
                PERMISSION,
                "lies inside the portal's share",
                () -> wide.link(PORTAL, share.resolve(".multiverse").toString(), "x", false));
        Files.createDirectories(portalDir.resolve("overlay"));
        assertRefused(
                PERMISSION,
                "lies inside the portal's state directory",
                () -> wide.link(PORTAL, portalDir.resolve("overlay").toString(), "x", false));
        assertRefused(
                PERMISSION,
                "contains the portal's own state directory and share",
                () -> wide.link(PORTAL, base.resolve("portals").toString(), "x", false));
        Files.createSymbolicLink(base.resolve("sneaky"), share);
        assertRefused(
                PERMISSION,
                "is the portal's share itself",
                () -> wide.link(PORTAL, base.resolve("sneaky").toString(), "x", false));
        Files.delete(share.resolve(".multiverse"));
    }

    @Test
    void refusesThingsThatAreNotFolders() throws Exception {
        Files.writeString(allowed.resolve("file.txt"), "x");
        assertRefused(INVALID, "is a regular file; only folders can be linked", () -> link(allowed + "/file.txt"));
        Path fifo = allowed.resolve("fifo");
        assertEquals(
                0, new ProcessBuilder("mkfifo", "--", fifo.toString()).start().waitFor());
        assertRefused(INVALID, "is a FIFO", () -> link(fifo.toString()));
        assertRefused(ShareException.Kind.NOT_FOUND, "does not exist", () -> link(allowed + "/none"));
    }

    @Test
    void refusesDeviceFiles() throws Exception {
        Path device = allowed.resolve("null");
        int made = new ProcessBuilder("mknod", "--", device.toString(), "c", "1", "3")
                .redirectErrorStream(true)
                .start()
                .waitFor();
        if (made != 0) {
            Privilege.requireCapSysAdmin(); // fails under CI, skips elsewhere
            org.junit.jupiter.api.Assertions.fail("mknod failed although privileged");
        }
        assertRefused(INVALID, "is a character device file; only folders can be linked", () -> link(device.toString()));
    }

    @Test
    void refusesUnsafeLinkNames() throws IOException {
        String photos = folder("photos").toString();
        assertRefused(INVALID, "contains '/'", () -> service.link(PORTAL, photos, "/", false));
        assertRefused(INVALID, "contains '/'", () -> service.link(PORTAL, photos, "a/b", false));
        assertRefused(INVALID, "may not be \"..\"", () -> service.link(PORTAL, photos, "..", false));
        assertRefused(INVALID, "link name is empty", () -> service.link(PORTAL, photos, "", false));
        assertRefused(INVALID, "300 characters long", () -> service.link(PORTAL, photos, "n".repeat(300), false));
        assertRefused(INVALID, "starts with '.'", () -> service.link(PORTAL, photos, ".multiverse", false));
        String unsafeFolder = folder("a+b").toString();
        assertRefused(INVALID, "give one with --as NAME", () -> service.link(PORTAL, unsafeFolder, null, false));
    }

    @Test
    void refusesUnknownAndMalformedPortals() throws IOException {
        String photos = folder("photos").toString();
        assertRefused(
                ShareException.Kind.NOT_FOUND,
                "no portal named \"application/none\"",
                () -> service.link("application/none", photos, null, false));
        assertRefused(INVALID, "is not a portal name", () -> service.link("../../etc", photos, null, false));
        assertRefused(INVALID, "is not a portal name", () -> service.link("/application/test", photos, null, false));
        assertRefused(INVALID, "is empty or deeper", () -> service.link("", photos, null, false));
        assertRefused(INVALID, "is not a portal name", () -> service.link("app..x", photos, null, false));
        assertRefused(INVALID, "is not a portal name", () -> service.link(".hidden", photos, null, false));
        assertRefused(
                ShareException.Kind.NOT_FOUND,
                "no portal named \"firefox.browser.app\"",
                () -> service.link("firefox.browser.app", photos, null, false));
        assertRefused(ShareException.Kind.NOT_FOUND, "no portal", () -> service.list("service/x"));
        assertRefused(ShareException.Kind.NOT_FOUND, "no portal", () -> service.fstab("service/x"));
        assertRefused(ShareException.Kind.NOT_FOUND, "no portal", () -> service.unlink("service/x", "photos"));
    }

    @Test
    void saysExactlyWhichPrivilegeIsMissing() throws IOException {
        String photos = folder("photos").toString();
        mounter.privileged = false;
        ShareException refused = assertRefused(
                PERMISSION, "bind mounts need CAP_SYS_ADMIN", () -> service.link(PORTAL, photos, null, true));
        assertEquals(
                "bind mounts need CAP_SYS_ADMIN: run the host agent as root or grant it"
                        + " CAP_SYS_ADMIN (for systemd: AmbientCapabilities=CAP_SYS_ADMIN)",
                refused.getMessage());
    }

    @Test
    void refusesAnAllowedRootThatIsUnsafe() {
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new ShareService(base, List.of(Path.of("/")), mounter));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new ShareService(base, List.of(Path.of("/proc/self")), mounter));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> new ShareService(base, List.of(base.resolve("missing")), mounter));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new ShareService(base, List.of(Path.of("relative")), mounter));
    }
}
