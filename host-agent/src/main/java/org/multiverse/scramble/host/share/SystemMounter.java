package org.multiverse.scramble.host.share;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.multiverse.scramble.protocol.process.ProcessFailedException;
import org.multiverse.scramble.protocol.process.ProcessResult;
import org.multiverse.scramble.protocol.process.ProcessRunner;
import org.multiverse.scramble.protocol.process.SystemProcessRunner;

/**
 * Bind mounts through util-linux mount(8) and umount(8), run with argument lists in which
 * {@code --} ends the options, so no path can be taken for one. Read-only links are made the
 * way the kernel requires: {@code mount --bind -- SRC DST}, then
 * {@code mount -o remount,bind,ro -- DST} (a bind mount ignores {@code ro} on its first call).
 *
 * <p>Unmounting tries a plain {@code umount} first; if the mount is busy (QEMU holds files the
 * guest has open), it detaches it lazily ({@code umount --lazy}). Lazy is the right choice for
 * revoking access: the folder leaves the share at once and nothing new can be opened through
 * it, whereas refusing would let a guest keep a link alive by holding one file open. Files
 * already open stay usable until the guest closes them; {@link UnmountOutcome} reports which
 * case happened.
 */
public final class SystemMounter implements Mounter {

    /** A bind mount is a metadata operation; a mount(8) that takes longer is stuck. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    /** The exact refusal a person gets when the agent cannot mount. */
    public static final String NEEDS_CAP_SYS_ADMIN =
            "bind mounts need CAP_SYS_ADMIN: run the host agent as root or grant it CAP_SYS_ADMIN"
                    + " (for systemd: AmbientCapabilities=CAP_SYS_ADMIN)";

    /** Where Debian and every other usrmerge'd or classic layout keep util-linux. */
    private static final List<Path> SYSTEM_BIN_DIRS =
            List.of(Path.of("/usr/bin"), Path.of("/bin"), Path.of("/usr/sbin"), Path.of("/sbin"));

    /** Source of {@code /proc/self/status} text; replaceable so tests can present no privilege. */
    interface StatusSource {
        String read() throws IOException;
    }

    private final StatusSource status;
    private final ProcessRunner runner = new SystemProcessRunner();
    private final String mount;
    private final String umount;

    /** Uses this process's real capabilities and the system's mount(8) and umount(8). */
    public SystemMounter() {
        this(() -> Files.readString(Path.of("/proc/self/status")));
    }

    SystemMounter(StatusSource status) {
        this.status = status;
        this.mount = systemProgram("mount");
        this.umount = systemProgram("umount");
    }

    @Override
    public void checkPrivilege() throws ShareException {
        String text;
        try {
            text = status.read();
        } catch (IOException e) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL, "cannot read this process's capabilities: " + e.getMessage(), e);
        }
        if (!Capabilities.hasEffective(text, Capabilities.CAP_SYS_ADMIN)) {
            throw new ShareException(ShareException.Kind.PERMISSION, NEEDS_CAP_SYS_ADMIN);
        }
    }

    @Override
    public void bind(Path source, Path target, boolean readOnly) throws ShareException {
        checkPrivilege();
        String binding = "mount --bind of " + source + " on " + target;
        ProcessResult bound = run(binding, List.of(mount, "--bind", "--", source.toString(), target.toString()));
        if (!bound.succeeded()) {
            throw failure(binding, bound);
        }
        if (readOnly) {
            String remounting = "read-only remount of " + target;
            ProcessResult remounted = run(remounting, List.of(mount, "-o", "remount,bind,ro", "--", target.toString()));
            if (!remounted.succeeded()) {
                // Never leave a writable mount behind where a read-only one was asked for.
                ShareException failure = failure(remounting, remounted);
                try {
                    unmount(target);
                } catch (ShareException undo) {
                    failure.addSuppressed(undo);
                }
                throw failure;
            }
        }
        if (!isMounted(target)) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL, "mount reported success but nothing is mounted at " + target);
        }
    }

    @Override
    public UnmountOutcome unmount(Path target) throws ShareException {
        if (!isMounted(target)) {
            return UnmountOutcome.WAS_NOT_MOUNTED;
        }
        checkPrivilege();
        String unmounting = "umount of " + target;
        ProcessResult plain = run(unmounting, List.of(umount, "--", target.toString()));
        if (plain.succeeded() || !isMounted(target)) {
            return UnmountOutcome.UNMOUNTED;
        }
        ProcessResult lazy = run(unmounting, List.of(umount, "--lazy", "--", target.toString()));
        if (lazy.succeeded() && !isMounted(target)) {
            return UnmountOutcome.DETACHED_LAZILY;
        }
        throw failure(unmounting, lazy);
    }

    @Override
    public boolean isMounted(Path target) throws ShareException {
        return MountTable.read().contains(target.toString());
    }

    /**
     * Runs one mount(8) or umount(8) call; a program that cannot start, overruns
     * {@link #COMMAND_TIMEOUT} (it is then killed) or floods its output is an internal failure.
     */
    private ProcessResult run(String what, List<String> argv) throws ShareException {
        try {
            return runner.run(argv, COMMAND_TIMEOUT);
        } catch (ProcessFailedException e) {
            throw new ShareException(ShareException.Kind.INTERNAL, what + ": " + e.getMessage(), e);
        }
    }

    private static ShareException failure(String what, ProcessResult result) {
        String said = result.diagnostic();
        String lower = said.toLowerCase(Locale.ROOT);
        if (lower.contains("permission denied")
                || lower.contains("only root")
                || lower.contains("must be superuser")
                || lower.contains("operation not permitted")) {
            return new ShareException(
                    ShareException.Kind.PERMISSION,
                    NEEDS_CAP_SYS_ADMIN + " (" + what + " said " + firstLine(said) + ")");
        }
        return new ShareException(
                ShareException.Kind.INTERNAL, what + " failed (exit " + result.exitCode() + "): " + firstLine(said));
    }

    /** The first line of what a program said, quoted, for a one-line error message. */
    private static String firstLine(String said) {
        int newline = said.indexOf('\n');
        return Display.quote(newline < 0 ? said : said.substring(0, newline));
    }

    private static String systemProgram(String name) {
        for (Path dir : SYSTEM_BIN_DIRS) {
            Path candidate = dir.resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        // Not installed: keep the bare name so the failure names the program (the runner's PATH is
        // the system's directories only).
        return name;
    }
}
