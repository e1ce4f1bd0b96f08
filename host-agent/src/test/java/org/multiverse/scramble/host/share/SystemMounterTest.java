package org.multiverse.scramble.host.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiverse.scramble.host.share.Refusals.assertRefused;

import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real bind mounts through mount(8), as root. */
class SystemMounterTest {

    @TempDir
    Path base;

    private Path source;
    private Path target;
    private final SystemMounter mounter = new SystemMounter();

    @BeforeEach
    void setUp() throws Exception {
        Privilege.requireCapSysAdmin();
        base = base.toRealPath();
        source = Files.createDirectories(base.resolve("source"));
        target = Files.createDirectories(base.resolve("target"));
        Files.writeString(source.resolve("hello.txt"), "hello");
    }

    @AfterEach
    void cleanUp() throws Exception {
        MountCleanup.unmountEverythingUnder(base);
    }

    @Test
    void bindsReadWrite() throws Exception {
        mounter.bind(source, target, false);
        assertTrue(mounter.isMounted(target));
        assertEquals("hello", Files.readString(target.resolve("hello.txt")));
        Files.writeString(target.resolve("from-target.txt"), "written through the mount");
        assertEquals("written through the mount", Files.readString(source.resolve("from-target.txt")));
        Files.writeString(source.resolve("later.txt"), "live");
        assertEquals("live", Files.readString(target.resolve("later.txt")));
    }

    @Test
    void bindsReadOnly() throws Exception {
        mounter.bind(source, target, true);
        assertEquals("hello", Files.readString(target.resolve("hello.txt")));
        FileSystemException refused =
                assertThrows(FileSystemException.class, () -> Files.writeString(target.resolve("evil.txt"), "x"));
        assertTrue(String.valueOf(refused.getReason()).contains("Read-only file system"), refused::toString);
        assertThrows(FileSystemException.class, () -> Files.delete(target.resolve("hello.txt")));
        assertFalse(Files.exists(source.resolve("evil.txt")));
        // The host side of the folder stays writable.
        Files.writeString(source.resolve("host.txt"), "host");
        assertEquals("host", Files.readString(target.resolve("host.txt")));
    }

    @Test
    void unmountsAndSaysWhenNothingWasMounted() throws Exception {
        mounter.bind(source, target, true);
        assertEquals(UnmountOutcome.UNMOUNTED, mounter.unmount(target));
        assertFalse(mounter.isMounted(target));
        assertFalse(Files.exists(target.resolve("hello.txt")));
        assertEquals(UnmountOutcome.WAS_NOT_MOUNTED, mounter.unmount(target));
    }

    @Test
    void detachesLazilyWhenAFileIsHeldOpen() throws Exception {
        mounter.bind(source, target, false);
        try (FileChannel open = FileChannel.open(target.resolve("hello.txt"), StandardOpenOption.READ)) {
            assertEquals(UnmountOutcome.DETACHED_LAZILY, mounter.unmount(target));
            assertFalse(mounter.isMounted(target));
            assertEquals(5, open.size(), "an already open file stays usable");
        }
    }

    @Test
    void findsMountPointsWhoseNamesTheKernelEscapes() throws Exception {
        Path odd = Files.createDirectories(base.resolve("with space\tand\\backslash"));
        mounter.bind(source, odd, false);
        assertTrue(mounter.isMounted(odd));
        assertEquals(UnmountOutcome.UNMOUNTED, mounter.unmount(odd));
    }

    @Test
    void pathsThatLookLikeOptionsStayPaths() throws Exception {
        Path dashed = Files.createDirectories(base.resolve("-o").resolve("--bind"));
        Path sourceDashed = Files.createDirectories(base.resolve("--rbind"));
        Files.writeString(sourceDashed.resolve("f"), "dash");
        mounter.bind(sourceDashed, dashed, true);
        assertEquals("dash", Files.readString(dashed.resolve("f")));
        assertEquals(UnmountOutcome.UNMOUNTED, mounter.unmount(dashed));
    }

    @Test
    void failsWithMountsOwnReasonAndLeavesNothingMounted() throws Exception {
        assertRefused(
                ShareException.Kind.INTERNAL,
                "mount --bind of " + base.resolve("missing"),
                () -> mounter.bind(base.resolve("missing"), target, true));
        assertFalse(mounter.isMounted(target));
    }

    @Test
    void withoutCapSysAdminRefusesBeforeRunningMount() throws Exception {
        SystemMounter unprivileged =
                new SystemMounter(() -> "Name:\tjava\nCapInh:\t0\nCapPrm:\t0\nCapEff:\t0000000000000000\n");
        ShareException refused = assertRefused(
                ShareException.Kind.PERMISSION,
                "bind mounts need CAP_SYS_ADMIN: run the host agent as root",
                () -> unprivileged.bind(source, target, false));
        assertEquals(SystemMounter.NEEDS_CAP_SYS_ADMIN, refused.getMessage());
        assertFalse(mounter.isMounted(target));
    }
}
