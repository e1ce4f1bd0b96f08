package org.multiverse.scramble.host.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.host.portal.PortalException;
import org.multiverse.scramble.host.portal.PortalInfo;
import org.multiverse.scramble.host.portal.PortalService;
import org.multiverse.scramble.host.portal.PortalServiceConfig;
import org.multiverse.scramble.host.portal.PortalState;
import org.multiverse.scramble.host.qemu.Accelerator;
import org.multiverse.scramble.host.qemu.QemuHypervisor;
import org.multiverse.scramble.host.qemu.QemuSettings;
import org.multiverse.scramble.host.share.FstabGenerator;
import org.multiverse.scramble.host.share.NinePShare;
import org.multiverse.scramble.host.share.PortalDirectories;
import org.multiverse.scramble.host.share.ShareException;
import org.multiverse.scramble.host.share.ShareLink;
import org.multiverse.scramble.host.share.ShareService;
import org.multiverse.scramble.host.share.SystemMounter;

/**
 * Boots a real Linux guest (Debian's kernel, a busybox-static initramfs) under QEMU TCG with
 * the portal share exported by {@link NinePShare}, folders linked by {@link ShareService}
 * through real bind mounts, and checks from inside the guest that the generated fstab
 * mounts the share, a read-only link reads but refuses writes, a link made while the guest
 * runs appears at once, and a read-write link carries a file back to the host. The guest's
 * script is {@code src/test/guest/init.sh}; it reports over a virtio-serial port.
 */
class GuestBootTest {

    private static final String PORTAL = "application/guest-boot";
    private static final String PORT_NAME = "org.multiverse.test.0";

    /**
     * The whole conversation, boot included. TCG boots this guest in about 5 s on a 2-core VM;
     * the margin is for slow shared CI runners, and a broken guest ends sooner (panic=-1,
     * bounded waits in its init).
     */
    private static final Duration CONVERSATION_DEADLINE = Duration.ofSeconds(120);

    /** The guest powers off right after its last line. */
    private static final Duration POWER_OFF_DEADLINE = Duration.ofSeconds(30);

    private static final String APT_HINT = "apt-get install -y qemu-system-x86 busybox-static" + " linux-image-amd64";

    /** How often to look whether the portal service has seen the guest power off. */
    private static final Duration STATE_POLL = Duration.ofMillis(50);

    @TempDir
    Path base;

    private Path home;
    private Path inbox;
    private Path outbox;
    private Path late;
    private String hello;
    private String go;

    @Test
    void aGuestMountsTheShareWithTheGeneratedFstabAndUsesItsLinks() throws Exception {
        Fixture fixture = prepare();
        // Commas and '=' in the share root's path: the -fsdev option must still carry it whole.
        Path portals = base.resolve("portals,id=evil,security_model=none");
        Files.createDirectories(portals.resolve(PORTAL));
        ShareService shares = new ShareService(portals, List.of(home), new SystemMounter());
        Path work = Files.createTempDirectory("mvguest"); // unix socket paths have 107 bytes at most
        try {
            linkInboxAndOutbox(shares, PORTAL);
            Path socket = work.resolve("port.sock");
            List<String> devices = new ArrayList<>(NinePShare.qemuArguments(shares.shareRoot(PORTAL)));
            devices.addAll(List.of(
                    "-device", "virtio-serial-pci,id=vser0",
                    "-chardev", "socket,id=testport,path=" + socket + ",server=on,wait=off",
                    "-device", "virtserialport,bus=vser0.0,chardev=testport,name=" + PORT_NAME));

            Instant deadline = Instant.now().plus(CONVERSATION_DEADLINE);
            try (QemuGuest guest =
                    QemuGuest.start(fixture.qemu(), fixture.kernel().image(), fixture.initramfs(), work, devices)) {
                try (VirtioSerialPort port = VirtioSerialPort.connect(socket, deadline, guest::isAlive)) {
                    converse(port, shares, PORTAL, deadline);
                    assertTrue(guest.awaitExit(POWER_OFF_DEADLINE), "the guest did not power off");
                    assertEquals(0, guest.exitCode());
                } catch (IOException | AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + guest.diagnostics(), e);
                }
            }
            checkHostSide();
            System.out.println(
                    "guest boot test (direct QEMU): " + fixture.kernel().release() + ", "
                            + Duration.between(fixture.started(), Instant.now()).toMillis() + " ms");
        } finally {
            unlinkAll(shares, PORTAL);
            deleteTree(work);
        }
    }

    /**
     * The same guest as a portal of the portal service (direct kernel boot, its own 9p export
     * and virtio-serial channel), with the share service finding the portal through it.
     */
    @Test
    void aPortalStartedByThePortalServiceSeesItsLinks() throws Exception {
        Fixture fixture = prepare();
        Path state = Files.createDirectories(base.resolve("state"));
        Path images = Files.createDirectories(base.resolve("images"));
        Files.copy(fixture.kernel().image(), images.resolve("vmlinuz"));
        Files.copy(fixture.initramfs(), images.resolve("initramfs.cpio.gz"));
        PortalService portals = PortalService.open(
                PortalServiceConfig.defaults(state, images),
                QemuHypervisor.create(QemuSettings.defaults(Accelerator.TCG)));
        String name = "guestboot";
        portals.defineFromToml("name = \"" + name + "\"\ntype = \"service\"\ncpus = 1\n"
                + "memory_mib = " + QemuGuest.MEMORY_MIB + "\nnetwork = \"none\"\n"
                + "kernel = \"vmlinuz\"\ninitrd = \"initramfs.cpio.gz\"\n"
                + "cmdline = \"console=ttyS0 panic=-1 loglevel=4\"\n"
                + "channels = [\"" + PORT_NAME + "\"]\nshare = true\n");
        PortalDirectories directories = new PortalDirectories() {
            @Override
            public Optional<Path> portalDir(String portal) {
                try {
                    return Optional.of(portals.portalDir(portal));
                } catch (PortalException e) {
                    return Optional.empty();
                }
            }

            @Override
            public List<String> portals() {
                return portals.list().stream().map(PortalInfo::name).toList();
            }
        };
        ShareService shares = new ShareService(directories, List.of(home), new SystemMounter(), new FstabGenerator());
        try {
            linkInboxAndOutbox(shares, name);
            assertEquals(portals.shareRoot(name).toRealPath(), shares.shareRoot(name));
            Instant deadline = Instant.now().plus(CONVERSATION_DEADLINE);
            portals.start(name);
            Path socket = portals.portalDir(name).resolve(PORT_NAME + ".sock");
            try (VirtioSerialPort port = VirtioSerialPort.connect(socket, deadline, () -> true)) {
                converse(port, shares, name, deadline);
                awaitNotRunning(portals, name, Instant.now().plus(POWER_OFF_DEADLINE));
            } catch (IOException | AssertionError | RuntimeException e) {
                throw new AssertionError(
                        e.getMessage() + "\n--- portal console (tail) ---\n"
                                + String.join("\n", portals.consoleTail(name, 200)),
                        e);
            }
            checkHostSide();
            System.out.println(
                    "guest boot test (portal service): " + fixture.kernel().release() + ", "
                            + Duration.between(fixture.started(), Instant.now()).toMillis() + " ms");
        } finally {
            try {
                unlinkAll(shares, name); // while the portal service still knows the portal
                if (portals.show(name).state() == PortalState.RUNNING) {
                    portals.kill(name);
                }
            } finally {
                portals.close();
            }
        }
    }

    /**
     * The safety net under the tests' own unlinking: no bind mount may outlive a test, or the
     * temporary folder's deletion would reach through it into the linked folders.
     */
    @AfterEach
    void unmountEverythingUnderTheTestFolder() throws Exception {
        List<String> left = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && fields[4].startsWith(base.toString() + "/")) {
                left.add(fields[4]);
            }
        }
        left.sort(Comparator.comparingInt(String::length).reversed());
        for (String mountPoint : left) {
            new ProcessBuilder("umount", "--lazy", "--", mountPoint)
                    .inheritIO()
                    .start()
                    .waitFor();
        }
        assertEquals(List.of(), left, "bind mounts left behind by the test");
    }

    /** What both tests need: QEMU, busybox, a kernel, root; the initramfs; the host folders. */
    private Fixture prepare() throws Exception {
        Path qemu = Prerequisites.firstExecutable(Prerequisites.QEMU_CANDIDATES);
        Prerequisites.require(qemu != null, "qemu-system-x86_64 is missing: " + APT_HINT);
        Path busybox = Prerequisites.firstExecutable(Prerequisites.BUSYBOX_CANDIDATES);
        Prerequisites.require(
                busybox != null && StaticElf.isStatic(busybox), "a statically linked busybox is missing: " + APT_HINT);
        Optional<GuestKernel> kernel = GuestKernel.find();
        Prerequisites.require(
                kernel.isPresent(),
                "no kernel with modules found under "
                        + Optional.ofNullable(System.getenv(GuestKernel.ROOT_VARIABLE))
                                .orElse("/")
                        + " (boot/vmlinuz-* and lib/modules/*): " + APT_HINT + ", or unpack a linux-image"
                        + " package with dpkg-deb -x and set " + GuestKernel.ROOT_VARIABLE);
        Prerequisites.require(Prerequisites.hasCapSysAdmin(), "links are bind mounts: run the tests as root");

        Instant started = Instant.now();
        Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path initramfs = GuestInitramfs.build(
                moduleDir.resolve("target/guest-cache"),
                kernel.get(),
                busybox,
                Files.readAllBytes(moduleDir.resolve("src/test/guest/init.sh")));

        base = base.toRealPath();
        home = Files.createDirectories(base.resolve("home"));
        inbox = Files.createDirectories(home.resolve("inbox"));
        outbox = Files.createDirectories(home.resolve("outbox"));
        late = Files.createDirectories(home.resolve("late"));
        hello = randomWord();
        go = randomWord();
        Files.writeString(inbox.resolve("hello.txt"), hello);
        Files.writeString(late.resolve("go.txt"), go);
        return new Fixture(qemu, kernel.get(), initramfs, started);
    }

    private record Fixture(Path qemu, GuestKernel kernel, Path initramfs, Instant started) {}

    private void linkInboxAndOutbox(ShareService shares, String portal) throws ShareException {
        shares.link(portal, inbox.toString(), null, true);
        shares.link(portal, outbox.toString(), null, false);
    }

    /** The conversation with init.sh, step by step; {@code late} is linked while it waits. */
    private void converse(VirtioSerialPort port, ShareService shares, String portal, Instant deadline)
            throws IOException, ShareException {
        String expectedFstabLine = new FstabGenerator().line(shares.list(portal));
        port.writeLine("HELLO");
        assertEquals(expectedFstabLine, expect(port, "FSTAB ", deadline));
        String mounted = expect(port, "MOUNTED ", deadline);
        assertTrue(mounted.startsWith("multiverse-portal /mnt/multiverse 9p rw,"), mounted);
        // The kernel really uses the generated msize (it would silently cut a larger one).
        assertTrue(mounted.contains(",msize=" + FstabGenerator.MSIZE + ","), mounted);
        assertTrue(mounted.contains("access=client"), mounted);
        assertEquals(hello, expect(port, "READ ", deadline));
        assertEquals("refused", expect(port, "RO-WRITE ", deadline));
        assertEquals("late", expect(port, "WAITING ", deadline));
        shares.link(portal, late.toString(), null, true);
        port.writeLine("LINKED");
        assertEquals(go, expect(port, "LATE ", deadline));
        assertEquals("", expect(port, "DONE", deadline));
    }

    private void checkHostSide() throws IOException {
        assertEquals("answer " + hello + " " + go + "\n", Files.readString(outbox.resolve("answer.txt")));
        assertFalse(Files.exists(inbox.resolve("evil.txt")), "the read-only link was written");
    }

    private static void awaitNotRunning(PortalService portals, String name, Instant deadline)
            throws PortalException, InterruptedException {
        while (portals.show(name).state() == PortalState.RUNNING) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the portal did not power off");
            }
            Thread.sleep(STATE_POLL.toMillis());
        }
    }

    private static void unlinkAll(ShareService shares, String portal) throws ShareException {
        for (ShareLink link : shares.list(portal)) {
            shares.unlink(portal, link.name());
        }
    }

    /** The rest of the next guest line, which must start with {@code prefix}. */
    private static String expect(VirtioSerialPort port, String prefix, Instant deadline) throws IOException {
        String line = port.readLine(deadline);
        if (!line.startsWith(prefix)) {
            throw new AssertionError("expected a guest line starting with '" + prefix + "', got: " + line);
        }
        return line.substring(prefix.length());
    }

    private static String randomWord() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
