package org.multiverse.scramble.e2e.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.host.guest.QemuGuest;
import org.multiverse.scramble.host.share.NinePShare;

/**
 * Boots the host-root guest with QEMU directly (TCG) and checks, inside it, what an end-to-end
 * test of the real launchers needs: the host's java runs, {@code bin/scramble-shell --version}
 * works, the virtio-serial port {@value HostRootGuest#HOST_PORT} is linked under
 * /dev/virtio-ports and opens only once at a time, and the random pool is ready (reading
 * /dev/random, which blocks as getrandom does until it is). Also the command protocol itself:
 * stdin lines, end of input, concurrent commands, long lines, refusals. Prints the timings.
 */
class HostRootGuestTest {

    /**
     * QEMU's start to READY. Measured on a 2-core machine: about 3.3 s with the unpacked vmlinux,
     * 6 s with the bzImage; the rest is margin for slow shared CI runners.
     */
    private static final Duration BOOT_DEADLINE = Duration.ofSeconds(90);

    /** One command: java -version takes about 2 s in the guest; margin as above. */
    private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(60);

    /** The guest powers off right after POWEROFF. */
    private static final Duration POWER_OFF_DEADLINE = Duration.ofSeconds(30);

    /** Enough lines from each of two commands at once that their writes overlap. */
    private static final int CONCURRENT_LINES = 300;

    /** Over two of the guest's 3000-byte pieces (MAX_LINE in hostroot-init.sh). */
    private static final int LONG_LINE = 7000;

    private static final String HOST_PORT_DEVICE = "/dev/virtio-ports/" + HostRootGuest.HOST_PORT;

    @TempDir
    Path base;

    @Test
    void theHostsJavaAndShellRunInsideTheGuest() throws Exception {
        HostRootGuest guest = HostRootGuest.prepare();
        HostRootGuest.requireShellPackaged();
        System.out.println("host-root guest: " + guest.report());
        Path share = base.toRealPath().resolve("share");
        Path work = Files.createTempDirectory("mvhr"); // unix socket paths have 107 bytes at most
        List<String> timings = new ArrayList<>();
        try (HostRootMount root = HostRootGuest.mountHostRoot(share)) {
            List<String> devices =
                    new ArrayList<>(HostRootGuest.qemuDevices(work.resolve("test.sock"), work.resolve("host.sock")));
            devices.addAll(NinePShare.qemuArguments(share));
            Instant started = Instant.now();
            Instant deadline = started.plus(BOOT_DEADLINE);
            try (QemuGuest qemu = QemuGuest.start(
                    guest.qemu(),
                    guest.kernelImage(),
                    guest.initramfs(),
                    work,
                    HostRootGuest.MEMORY_MIB,
                    HostRootGuest.CPUS,
                    guest.kernelCommandLine(),
                    devices)) {
                try (GuestCommandPort port =
                        GuestCommandPort.connect(work.resolve("test.sock"), deadline, qemu::isAlive)) {
                    assertEquals(guest.kernelRelease(), port.hello(deadline));
                    timings.add("boot to READY " + millisSince(started) + " ms ("
                            + (guest.kernelUnpacked() ? "vmlinux" : "bzImage") + ")");
                    converse(guest, port, timings);
                    port.powerOff();
                    assertTrue(qemu.awaitExit(POWER_OFF_DEADLINE), "the guest did not power off");
                } catch (IOException | AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + qemu.diagnostics(), e);
                }
            }
        } finally {
            System.out.println("host-root guest timings: " + String.join(", ", timings));
            deleteTree(work);
        }
    }

    /**
     * The safety net under the mount's own close: a bind mount of / left under the temporary
     * folder would let its deletion walk into the host.
     */
    @AfterEach
    void nothingStaysMounted() throws IOException {
        assertEquals(List.of(), HostRootMount.unmountAllUnder(base), "mounts left behind by the test");
    }

    private static void converse(HostRootGuest guest, GuestCommandPort port, List<String> timings) throws Exception {
        // Two at once, while java starts: the port check and the random pool.
        port.run(
                "ports",
                "ls -l /dev/virtio-ports/; exec 4<>" + HOST_PORT_DEVICE + " && echo first-open-ok; exec 5<>"
                        + HOST_PORT_DEVICE + " && echo second-open-ok");
        port.run("random", "cat /proc/sys/kernel/random/entropy_avail;" + " timeout 10 head -c 32 /dev/random | wc -c");

        Instant javaStarted = Instant.now();
        port.run("java", "java -version");
        GuestCommandPort.Exit java = port.awaitExit("java", deadline());
        assertEquals(0, java.code(), "java -version: " + java.output());
        assertTrue(
                java.output().stream().anyMatch(line -> line.contains("version \"")),
                "java -version: " + java.output());
        timings.add("java -version " + java.elapsedMillis() + " ms in the guest, " + millisSince(javaStarted)
                + " ms round trip");

        GuestCommandPort.Exit ports = port.awaitExit("ports", deadline());
        assertTrue(
                ports.output().stream().anyMatch(line -> line.contains(HostRootGuest.HOST_PORT)),
                "no /dev/virtio-ports link for the host port: " + ports.output());
        assertTrue(ports.output().contains("first-open-ok"), "first open: " + ports.output());
        assertNotEquals(0, ports.code(), "the second open succeeded: " + ports.output());
        String secondOpen = ports.output().get(ports.output().size() - 1);
        assertTrue(secondOpen.contains("Device or resource busy"), "second open: " + ports.output());
        timings.add("second open of " + HOST_PORT_DEVICE + " said: " + secondOpen);

        GuestCommandPort.Exit random = port.awaitExit("random", deadline());
        assertEquals(0, random.code(), "random: " + random.output());
        assertEquals(
                "32",
                random.output().get(random.output().size() - 1).strip(),
                "reading /dev/random (blocks until the pool is ready): " + random.output());
        timings.add("entropy_avail " + random.output().get(0) + ", 32 bytes of /dev/random in " + random.elapsedMillis()
                + " ms");

        Path shell = guest.repository().resolve("bin/scramble-shell");
        for (String id : List.of("shell-cold", "shell-warm")) {
            port.run(id, "'" + shell + "' --version");
            GuestCommandPort.Exit version = port.awaitExit(id, deadline());
            assertEquals(0, version.code(), "scramble-shell --version: " + version.output());
            assertTrue(
                    version.output().stream().anyMatch(line -> line.matches(".*\\d+\\.\\d+.*")),
                    "scramble-shell --version printed no version: " + version.output());
            timings.add(id.replace('-', ' ') + " --version " + version.elapsedMillis() + " ms ("
                    + version.output().get(0) + ")");
        }

        checkTheProtocol(port);
    }

    /** Stdin lines and end of input, any text through base64, and the guest's refusals. */
    private static void checkTheProtocol(GuestCommandPort port) throws Exception {
        port.run("cat", "cat; echo \"end of input\"");
        String odd = "spaces  and 'quotes' \"double\" $HOME `x` \\ ünïcødé";
        port.send("cat", odd);
        port.send("cat", "");
        assertEquals(odd, port.awaitOutput("cat", "ünï", deadline()));
        port.send("cat", "second");
        port.closeInput("cat");
        GuestCommandPort.Exit cat = port.awaitExit("cat", deadline());
        assertEquals(List.of(odd, "", "second", "end of input"), cat.output());
        assertEquals(0, cat.code());

        // Sent and closed before the command can have started: nothing may be lost or hang.
        port.run("quick", "cat");
        port.send("quick", "sent at once");
        port.closeInput("quick");
        assertEquals(
                List.of("sent at once"), port.awaitExit("quick", deadline()).output());

        port.run("status", "echo no newline at the end | tr -d '\\n'; exit 7");
        GuestCommandPort.Exit status = port.awaitExit("status", deadline());
        assertEquals(new GuestCommandPort.Exit(7, status.elapsedMillis(), List.of("no newline at the end")), status);

        // Two writers at once on the one port: every line must arrive whole, under its own ID.
        port.run("left", "seq -f 'left %g' 1 " + CONCURRENT_LINES);
        port.run("right", "seq -f 'right %g' 1 " + CONCURRENT_LINES);
        for (String id : List.of("left", "right")) {
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= CONCURRENT_LINES; i++) {
                expected.add(id + " " + i);
            }
            assertEquals(expected, port.awaitExit(id, deadline()).output());
        }

        port.run("long", "head -c " + LONG_LINE + " /dev/zero | tr '\\0' x; echo");
        assertEquals(
                List.of(3000, 3000, LONG_LINE - 6000),
                port.awaitExit("long", deadline()).output().stream()
                        .map(String::length)
                        .toList(),
                "a long line comes in 3000-byte parts");

        port.writeRaw("RUN BAD!ID ZWNobw==");
        port.writeRaw("SEND nosuch ZWNobw==");
        port.writeRaw("FROB");
        port.run("after", "echo still serving"); // in order: the refusals came before this
        assertEquals(
                List.of("still serving"), port.awaitExit("after", deadline()).output());
        List<String> errors = port.errors();
        assertEquals(3, errors.size(), "refusals: " + errors);
        assertTrue(errors.get(0).startsWith("RUN: bad ID"), errors.get(0));
        assertTrue(errors.get(1).startsWith("SEND nosuch: "), errors.get(1));
        assertTrue(errors.get(2).startsWith("bad request: FROB"), errors.get(2));
    }

    private static Instant deadline() {
        return Instant.now().plus(COMMAND_DEADLINE);
    }

    private static long millisSince(Instant start) {
        return Duration.between(start, Instant.now()).toMillis();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
