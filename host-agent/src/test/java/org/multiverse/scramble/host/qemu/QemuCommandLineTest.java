package org.multiverse.scramble.host.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.host.hypervisor.VmSpec;

class QemuCommandLineTest {

    private static final Path BIN = Path.of("/usr/bin/qemu-system-x86_64");

    private static VmSpec spec(Path dir, String bridge, Path disk, Map<String, Path> channels) {
        return new VmSpec(
                "star.router",
                1,
                256,
                disk,
                null,
                null,
                null,
                bridge,
                "52:54:00:01:02:03",
                channels,
                dir.resolve("share"),
                dir.resolve("status.out"),
                dir.resolve("qmp.sock"),
                dir.resolve("qemu.pid"),
                dir);
    }

    @Test
    void optionStringsEscapeCommasAndRefuseControls() {
        assertEquals(
                "socket,id=qmp,path=/a,,b=c d,,file=/etc/passwd",
                QemuOptionString.of("socket")
                        .put("id", "qmp")
                        .put("path", Path.of("/a,b=c d,file=/etc/passwd"))
                        .toString());
        assertEquals("size=256M", QemuOptionString.empty().put("size", "256M").toString());
        assertThrows(IllegalArgumentException.class, () -> QemuOptionString.escape("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> QemuOptionString.escape("a\u0000b"));
        assertThrows(IllegalArgumentException.class, () -> QemuOptionString.escape(""));
        assertThrows(IllegalArgumentException.class, () -> QemuOptionString.of("socket,path=x"));
        assertThrows(
                IllegalArgumentException.class, () -> QemuOptionString.empty().put("id=x,path", "y"));
        assertThrows(
                IllegalArgumentException.class, () -> QemuOptionString.empty().put("path", Path.of("relative")));
    }

    @Test
    void disklessNoNetworkMachine() {
        Path dir = Path.of("/state/portals/star.router");
        List<String> a = QemuCommandLine.build(spec(dir, null, null, Map.of()), BIN, Accelerator.TCG, true);
        assertEquals(BIN.toString(), a.get(0));
        assertTrue(a.containsAll(List.of("-nodefaults", "-no-user-config", "none")));
        assertEquals("q35,accel=tcg", a.get(a.indexOf("-machine") + 1));
        assertEquals("size=256M", a.get(a.indexOf("-m") + 1));
        assertEquals("1", a.get(a.indexOf("-smp") + 1));
        assertEquals(
                "on,obsolete=deny,elevateprivileges=deny,resourcecontrol=deny,spawn=deny",
                a.get(a.indexOf("-sandbox") + 1));
        assertEquals("/state/portals/star.router/qemu.pid", a.get(a.indexOf("-pidfile") + 1));
        assertTrue(a.contains("socket,id=qmp,path=/state/portals/star.router/qmp.sock,server=on,wait=off"));
        assertTrue(a.contains("chardev=qmp,mode=control"));
        assertTrue(a.contains("file,id=console,path=/state/portals/star.router/status.out"));
        assertTrue(a.contains("virtio-9p-pci,fsdev=multiverse-portal-fs,mount_tag=multiverse-portal"));
        assertFalse(a.contains("-netdev"), "network none means no NIC");
        assertFalse(a.contains("-blockdev"));
        assertFalse(String.join(" ", a).contains("balloon"));
    }

    @Test
    void diskBridgeChannelsAndKvm() {
        Path dir = Path.of("/s/p");
        Map<String, Path> ch = new LinkedHashMap<>();
        ch.put("org.multiverse.host.0", dir.resolve("org.multiverse.host.0.sock"));
        ch.put("org.multiverse.controller.0", dir.resolve("org.multiverse.controller.0.sock"));
        List<String> a = QemuCommandLine.build(
                spec(dir, "mvbr-star", dir.resolve("overlay.qcow2"), ch), BIN, Accelerator.KVM, false);
        assertEquals("q35,accel=kvm", a.get(a.indexOf("-machine") + 1));
        assertEquals("host", a.get(a.indexOf("-cpu") + 1));
        assertFalse(a.contains("-sandbox"));
        assertTrue(a.contains("node-name=disk0,driver=qcow2,file.driver=file,file.filename=/s/p/overlay.qcow2"));
        assertTrue(a.contains("bridge,id=net0,br=mvbr-star"));
        assertTrue(a.contains("virtio-net-pci,netdev=net0,mac=52:54:00:01:02:03"));
        assertTrue(a.contains("virtio-serial-pci,id=vser0"));
        assertTrue(a.contains("rng-random,id=rng0,filename=/dev/urandom"), a.toString());
        assertTrue(a.contains("virtio-rng-pci,rng=rng0"), a.toString());
        assertTrue(a.contains("socket,id=ch1,path=/s/p/org.multiverse.controller.0.sock,server=on,wait=off"));
        assertTrue(a.contains("virtserialport,bus=vser0.0,chardev=ch0,name=org.multiverse.host.0"));
    }

    @Test
    void everyHostileValueIsEscapedOrRefused() {
        Path dir = Path.of("/s/a,b=c d");
        List<String> a = QemuCommandLine.build(
                spec(dir, null, dir.resolve("o,file=x.qcow2"), Map.of()), BIN, Accelerator.TCG, true);
        assertTrue(
                a.contains("node-name=disk0,driver=qcow2,file.driver=file,file.filename=/s/a,,b=c d/o,,file=x.qcow2"),
                a.toString());
        for (String arg : a) {
            // Outside escaped pairs, no comma may come from a path.
            assertFalse(arg.replace(",,", "").contains("b=c d,"), arg);
        }
        VmSpec newline = new VmSpec(
                "x",
                1,
                64,
                null,
                Path.of("/k\nernel"),
                null,
                null,
                null,
                "52:54:00:00:00:01",
                Map.of(),
                null,
                null,
                Path.of("/q"),
                Path.of("/p"),
                Path.of("/r"));
        assertThrows(IllegalArgumentException.class, () -> QemuCommandLine.build(newline, BIN, Accelerator.TCG, true));
        assertThrows(
                IllegalArgumentException.class,
                () -> new VmSpec(
                        "x",
                        1,
                        64,
                        Path.of("-drive"),
                        null,
                        null,
                        null,
                        null,
                        "m",
                        Map.of(),
                        null,
                        null,
                        Path.of("/q"),
                        Path.of("/p"),
                        Path.of("/r")));
        assertThrows(
                IllegalStateException.class,
                () -> QemuCommandLine.build(spec(dir, null, null, Map.of()), BIN, Accelerator.AUTO, true));
    }

    @Test
    void accelProbeNeedsAnOpenableDevice() {
        assertFalse(Accelerator.kvmOpens(Path.of("/nonexistent/kvm")));
        assertEquals(Accelerator.TCG, Accelerator.TCG.resolve());
        Accelerator auto = Accelerator.AUTO.resolve();
        assertEquals(Accelerator.kvmOpens(Accelerator.KVM_DEVICE) ? Accelerator.KVM : Accelerator.TCG, auto);
    }
}
