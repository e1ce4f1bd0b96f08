package org.multiverse.scramble.controller.tor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.multiverse.scramble.controller.net.ManagedProcess;
import org.multiverse.scramble.controller.net.NamespaceName;

/**
 * A Tor process run as our child (inside a namespace when one is given), with a torrc we
 * write: DataDirectory and a unix control socket in {@code dir} (0700), cookie
 * authentication, no SOCKS port, optional TransPort/DNSPort for the transparent proxy.
 */
public final class TorProcess implements AutoCloseable {
    /** Tor reads its geoip files and opens the control socket in about a second; 2 slow cores need more. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(45);

    static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    /** sun_path holds 108 bytes including the NUL; Tor refuses longer paths. */
    static final int MAX_SOCKET_PATH = 100;

    /**
     * What to run. {@code transPort}/{@code dnsPort} are "ADDRESS:PORT" listeners (validated
     * by the caller's typed values); {@code disableNetwork} keeps Tor offline (tests).
     */
    public record Config(
            Optional<NamespaceName> namespace,
            Path dir,
            Optional<String> transPort,
            Optional<String> dnsPort,
            boolean disableNetwork) {}

    private final Config config;
    private final ManagedProcess process;

    private TorProcess(Config config, ManagedProcess process) {
        this.config = config;
        this.process = process;
    }

    /** The control socket path for a Tor run in {@code dir}. */
    public static Path controlSocket(Path dir) {
        return dir.toAbsolutePath().resolve("control.sock");
    }

    /** The cookie file path for a Tor run in {@code dir}. */
    public static Path cookieFile(Path dir) {
        return dir.toAbsolutePath().resolve("data").resolve("control_auth_cookie");
    }

    /**
     * Writes the torrc, starts Tor and waits until its control port authenticates.
     *
     * @throws TorControlException if Tor exits or does not answer within {@link #START_TIMEOUT}
     */
    public static TorProcess start(Config config) throws TorControlException, IOException {
        Path dir = config.dir().toAbsolutePath();
        Path socket = controlSocket(dir);
        if (socket.toString().length() > MAX_SOCKET_PATH) {
            throw new IllegalArgumentException(
                    "Tor's control socket path is longer than " + MAX_SOCKET_PATH + " characters: " + socket);
        }
        var privateDir = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(dir, privateDir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(dir.resolve("data"), privateDir);
        Files.deleteIfExists(socket);
        Files.deleteIfExists(cookieFile(dir));
        Path torrc = dir.resolve("torrc");
        Files.writeString(torrc, torrc(config, dir), StandardCharsets.US_ASCII);
        List<String> argv = new ArrayList<>();
        config.namespace().ifPresent(ns -> argv.addAll(List.of("ip", "netns", "exec", ns.value())));
        argv.addAll(List.of("tor", "-f", torrc.toString(), "--defaults-torrc", "/dev/null"));
        ManagedProcess process = ManagedProcess.start("tor", argv, dir.resolve("tor.log"));
        TorProcess tor = new TorProcess(config, process);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new TorControlException(
                        0,
                        "Tor exited with status " + process.exitCode().orElse(-1) + " while starting (see "
                                + dir.resolve("tor.log") + ")");
            }
            if (Files.exists(socket) && Files.exists(cookieFile(dir))) {
                try (TorControlClient client = tor.connect()) {
                    return tor;
                } catch (TorControlException e) {
                    if (System.nanoTime() > deadline) {
                        process.close();
                        throw e;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                process.close();
                throw new TorControlException(
                        0, "Tor's control port did not open within " + START_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.close();
                throw new TorControlException("interrupted while starting Tor", e);
            }
        }
    }

    static String torrc(Config config, Path dir) {
        StringBuilder rc = new StringBuilder();
        rc.append("# Written by the Scramble controller agent; rewritten at every start.\n");
        rc.append("DataDirectory ").append(dir.resolve("data")).append('\n');
        rc.append("ControlPort unix:").append(controlSocket(dir)).append('\n');
        rc.append("CookieAuthentication 1\n");
        rc.append("CookieAuthFile ").append(cookieFile(dir)).append('\n');
        rc.append("SocksPort 0\n");
        rc.append("ClientOnly 1\n");
        rc.append("RunAsDaemon 0\n");
        rc.append("Log notice stdout\n");
        config.transPort().ifPresent(p -> rc.append("TransPort ").append(p).append('\n'));
        config.dnsPort().ifPresent(p -> rc.append("DNSPort ").append(p).append('\n'));
        if (config.dnsPort().isPresent()) {
            // Answer A queries for .onion and unknown names with addresses from this range,
            // which TransPort then maps back (the usual transparent-proxy setup).
            rc.append("AutomapHostsOnResolve 1\n");
            rc.append("VirtualAddrNetworkIPv4 10.192.0.0/10\n");
        }
        rc.append("DisableNetwork ").append(config.disableNetwork() ? 1 : 0).append('\n');
        return rc.toString();
    }

    /** A fresh authenticated control connection; the caller closes it. */
    public TorControlClient connect() throws TorControlException {
        if (!process.isAlive()) {
            throw new TorControlException(
                    0,
                    "Tor is not running (exited with status "
                            + process.exitCode().orElse(-1) + ")");
        }
        return TorControlClient.connect(controlSocket(config.dir()), cookieFile(config.dir()));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Config config() {
        return config;
    }

    /** Stops Tor (SIGTERM, then SIGKILL). Tor waits ShutdownWaitLength only for relays; clients exit at once. */
    @Override
    public void close() {
        process.close();
    }
}
