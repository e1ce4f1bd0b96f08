package org.multiverse.scramble.controller.vpn;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.multiverse.scramble.controller.net.InterfaceName;
import org.multiverse.scramble.controller.net.IpTool;
import org.multiverse.scramble.controller.net.ManagedProcess;
import org.multiverse.scramble.controller.net.NamespaceName;
import org.multiverse.scramble.protocol.process.ProcessFailedException;
import org.multiverse.scramble.protocol.process.ProcessResult;
import org.multiverse.scramble.protocol.process.ProcessRunner;

/**
 * A WireGuard interface inside a namespace: the kernel's when the module is there,
 * otherwise {@code wireguard-go -f} run as a child in the namespace. Configured only with
 * {@code wg setconf} from a 0600 file (the private key never appears on a command line).
 */
public final class WireGuardDevice implements AutoCloseable {
    /** wireguard-go creates its TUN device and UAPI socket in well under a second. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    static final Duration POLL_INTERVAL = Duration.ofMillis(25);
    /** Where wireguard-go puts its control socket, shared by all namespaces (it is a file). */
    static final Path UAPI_DIR = Path.of("/var/run/wireguard");

    private final IpTool ip;
    private final ProcessRunner runner;
    private final NamespaceName ns;
    private final InterfaceName name;
    private final Path workDir;
    private final int fwMark;
    private ManagedProcess userspace;

    private WireGuardDevice(IpTool ip, NamespaceName ns, InterfaceName name, Path workDir, int fwMark) {
        this.fwMark = fwMark;
        this.ip = ip;
        this.runner = ip.runner();
        this.ns = ns;
        this.name = name;
        this.workDir = workDir;
    }

    /**
     * Creates the interface {@code name} in {@code ns}, kernel first, wireguard-go second.
     * The interface starts down and without peers: nothing can pass until a profile is set.
     * The tunnel's own UDP packets will carry {@code fwMark}, so policy routing can send
     * them (and only them) towards the endpoint.
     *
     * @throws ProcessFailedException if neither works
     */
    public static WireGuardDevice create(IpTool ip, NamespaceName ns, InterfaceName name, Path workDir, int fwMark) {
        WireGuardDevice device = new WireGuardDevice(ip, ns, name, workDir, fwMark);
        ProcessResult kernel = ip.runner()
                .run(List.of("ip", "-n", ns.value(), "link", "add", "dev", name.value(), "type", "wireguard"));
        if (kernel.exitCode() != 0) {
            device.startUserspace();
        }
        return device;
    }

    private void startUserspace() {
        Path socket = UAPI_DIR.resolve(name.value() + ".sock");
        try {
            // A predecessor killed with SIGKILL leaves its socket; the name carries our prefix,
            // and the link is gone, so the socket is stale.
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new ProcessFailedException(List.of("wireguard-go"), "cannot remove stale socket " + socket, e);
        }
        userspace = ManagedProcess.start(
                "wireguard-go",
                List.of("ip", "netns", "exec", ns.value(), "wireguard-go", "-f", name.value()),
                workDir.resolve("wireguard-go-" + name.value() + ".log"));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!(Files.exists(socket) && ip.linkExists(Optional.of(ns), name))) {
            if (!userspace.isAlive()) {
                throw new ProcessFailedException(
                        List.of("wireguard-go"),
                        "exited with status " + userspace.exitCode().orElse(-1) + " (see " + workDir + ")",
                        null);
            }
            if (System.nanoTime() > deadline) {
                userspace.close();
                throw new ProcessFailedException(
                        List.of("wireguard-go"),
                        "interface " + name + " did not appear within " + START_TIMEOUT.toSeconds() + " s",
                        null);
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProcessFailedException(List.of("wireguard-go"), "interrupted while starting", e);
            }
        }
    }

    public InterfaceName name() {
        return name;
    }

    /** True while the interface exists (and, for wireguard-go, its process runs). */
    public boolean isAlive() {
        return (userspace == null || userspace.isAlive()) && ip.linkExists(Optional.of(ns), name);
    }

    /** "kernel" or "wireguard-go". */
    public String implementation() {
        return userspace == null ? "kernel" : "wireguard-go";
    }

    /**
     * Replaces key and peers with {@code profile}'s in one {@code wg setconf}: WireGuard swaps
     * them atomically, so there is no moment with a half-set configuration.
     */
    public void apply(WireGuardProfile profile) {
        byte[] conf = profile.toWgSetconf(fwMark);
        Path file = workDir.resolve("wg-" + name.value() + ".conf");
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(conf);
            }
            runner.check(List.of("ip", "netns", "exec", ns.value(), "wg", "setconf", name.value(), file.toString()));
        } catch (IOException e) {
            throw new ProcessFailedException(
                    List.of("wg", "setconf"), "cannot write configuration: " + e.getMessage(), e);
        } finally {
            Arrays.fill(conf, (byte) 0);
            try {
                if (Files.exists(file)) {
                    Files.write(file, new byte[conf.length]); // overwrite before unlinking
                    Files.delete(file);
                }
            } catch (IOException ignored) {
                // The directory is 0700 and owned by the service; a leftover is rewritten next time.
            }
        }
    }

    /** Current endpoint, handshake and transfer of each peer. */
    public WgDump.Dump dump() {
        ProcessResult result =
                runner.check(List.of("ip", "netns", "exec", ns.value(), "wg", "show", name.value(), "dump"));
        byte[] out = result.stdout();
        try {
            // Never turn the private key (first field) into an immutable String.
            int tab = 0;
            while (tab < out.length && out[tab] != '\t') {
                tab++;
            }
            return WgDump.parse(
                    "(redacted)" + new String(out, tab, out.length - tab, java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            Arrays.fill(out, (byte) 0);
        }
    }

    /** Removes the interface and stops wireguard-go if it was used. */
    @Override
    public void close() {
        if (userspace != null) {
            userspace.close();
        }
        if (ip.linkExists(Optional.of(ns), name)) {
            ip.deleteLink(ns, name);
        }
    }
}
