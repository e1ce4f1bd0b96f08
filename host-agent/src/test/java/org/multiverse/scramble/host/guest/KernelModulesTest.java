package org.multiverse.scramble.host.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelModulesTest {

    /** The shape of Debian 12's 6.12 index: 9p modular, virtio built in. */
    private static final String DEP = """
      kernel/fs/netfs/netfs.ko.xz:
      kernel/net/9p/9pnet.ko.xz: kernel/fs/netfs/netfs.ko.xz
      kernel/net/9p/9pnet_virtio.ko.xz: kernel/net/9p/9pnet.ko.xz kernel/fs/netfs/netfs.ko.xz
      kernel/fs/9p/9p.ko.xz: kernel/net/9p/9pnet.ko.xz kernel/fs/netfs/netfs.ko.xz
      kernel/drivers/foo/some-thing.ko:
      """;

    private static final String BUILTIN = """
      kernel/drivers/virtio/virtio.ko
      kernel/drivers/virtio/virtio_pci.ko
      kernel/drivers/char/virtio_console.ko
      """;

    @Test
    void ordersDependenciesFirstAndSkipsBuiltins() {
        KernelModules modules = KernelModules.parse(DEP, BUILTIN);
        assertEquals(List.of("netfs", "9pnet", "9pnet_virtio", "9p"), modules.loadOrder(GuestInitramfs.MODULES));
        assertTrue(modules.isBuiltin("virtio_pci"));
        assertTrue(modules.provides("virtio_pci"));
        assertTrue(modules.provides("some-thing"));
        assertFalse(modules.provides("virtio_rng"));
        assertEquals("kernel/fs/9p/9p.ko.xz", modules.path("9p"));
        assertEquals("kernel/drivers/foo/some-thing.ko", modules.path("some_thing"));
    }

    @Test
    void refusesIndexesThatDoNotDescribeTheModules() {
        KernelModules noNinePee = KernelModules.parse("kernel/fs/netfs/netfs.ko.xz:\n", BUILTIN);
        assertEquals(
                "the kernel has no module 9pnet_virtio (neither built in nor in modules.dep)",
                assertThrows(IllegalArgumentException.class, () -> noNinePee.loadOrder(GuestInitramfs.MODULES))
                        .getMessage());
        assertEquals(
                "modules.dep line 1 has no 'path:'",
                assertThrows(IllegalArgumentException.class, () -> KernelModules.parse("kernel/fs/9p/9p.ko.xz\n", ""))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelModules.parse("kernel/fs/9p/9p.txt:\n", ""))
                .getMessage()
                .contains("is not a kernel module file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelModules.parse("a.ko:\na.ko:\n", ""))
                .getMessage()
                .contains("repeats a"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> KernelModules.parse("a.ko: b.ko\nb.ko: a.ko\n", "")
                                .loadOrder(List.of("a")))
                .getMessage()
                .contains("dependency cycle"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelModules.parse("", "kernel/x/.ko\n"))
                .getMessage()
                .contains("modules.builtin line 1"));
    }
}
