package org.multiverse.scramble.host.portal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.multiverse.scramble.host.hypervisor.HypervisorException;
import org.multiverse.scramble.host.qemu.Accelerator;
import org.multiverse.scramble.host.qemu.ProcFiles;
import org.multiverse.scramble.host.qemu.QemuHypervisor;
import org.multiverse.scramble.host.qemu.QemuSettings;
import org.multiverse.scramble.protocol.testkit.Prerequisite;

/**
 * Test support for real QEMU, for the portal and the agent tests: the CI rule (missing QEMU fails
 * under CI=true), process counting, cleanup.
 */
public final class RealQemu {

    public static final QemuSettings SETTINGS = QemuSettings.defaults(Accelerator.TCG);

    private RealQemu() {}

    /** A TCG backend; skips on a laptop without QEMU, fails under CI. */
    public static QemuHypervisor hypervisor() throws HypervisorException {
        boolean present = Files.isExecutable(SETTINGS.qemuBinary()) && Files.isExecutable(SETTINGS.qemuImg());
        Prerequisite.require(present, "QEMU is missing: apt-get install -y qemu-system-x86 qemu-utils");
        return QemuHypervisor.create(SETTINGS);
    }

    /** Pids of QEMU processes whose command line mentions the directory. */
    public static List<Long> qemuPidsUnder(Path dir) {
        String needle = dir.toString();
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[0-9]+"))
                    .forEach(n -> {
                        long pid = Long.parseLong(n);
                        Optional<byte[]> cmd = ProcFiles.cmdline(pid);
                        if (cmd.isPresent() && ProcFiles.startTimeIfRunning(pid).isPresent()) {
                            String s = new String(cmd.get(), StandardCharsets.UTF_8);
                            if (s.startsWith(SETTINGS.qemuBinary().toString() + "\0") && s.contains(needle)) {
                                out.add(pid);
                            }
                        }
                    });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** The argument list of a live process. */
    public static List<String> cmdline(long pid) {
        byte[] bytes = ProcFiles.cmdline(pid).orElseThrow(() -> new AssertionError("pid " + pid + " is gone"));
        String s = new String(bytes, StandardCharsets.UTF_8);
        return List.of(s.substring(0, s.length() - 1).split("\0", -1));
    }

    /** Kills every QEMU a test started under its directory (each one by pid) and waits for them. */
    public static void killAllUnder(Path dir) {
        for (long pid : qemuPidsUnder(dir)) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                try {
                    h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // best effort in cleanup; the assertion below reports survivors
                }
            });
        }
    }

    /** Polls until the condition holds or the deadline passes. */
    public static boolean eventually(Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
