package org.multiverse.scramble.host.share;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
      throw new ShareException(ShareException.Kind.INTERNAL,
          "cannot read this process's capabilities: " + e.getMessage(), e);
    }
    if (!Capabilities.hasEffective(text, Capabilities.CAP_SYS_ADMIN)) {
      throw new ShareException(ShareException.Kind.PERMISSION, NEEDS_CAP_SYS_ADMIN);
    }
  }

  @Override
  public void bind(Path source, Path target, boolean readOnly) throws ShareException {
    checkPrivilege();
    CommandRunner.Result bound = run(List.of(mount, "--bind", "--", source.toString(),
        target.toString()));
    if (!bound.succeeded()) {
      throw failure("mount --bind of " + source + " on " + target, bound);
    }
    if (readOnly) {
      CommandRunner.Result remounted =
          run(List.of(mount, "-o", "remount,bind,ro", "--", target.toString()));
      if (!remounted.succeeded()) {
        // Never leave a writable mount behind where a read-only one was asked for.
        ShareException failure = failure("read-only remount of " + target, remounted);
        try {
          unmount(target);
        } catch (ShareException undo) {
          failure.addSuppressed(undo);
        }
        throw failure;
      }
    }
    if (!isMounted(target)) {
      throw new ShareException(ShareException.Kind.INTERNAL,
          "mount reported success but nothing is mounted at " + target);
    }
  }

  @Override
  public UnmountOutcome unmount(Path target) throws ShareException {
    if (!isMounted(target)) {
      return UnmountOutcome.WAS_NOT_MOUNTED;
    }
    checkPrivilege();
    CommandRunner.Result plain = run(List.of(umount, "--", target.toString()));
    if (plain.succeeded() || !isMounted(target)) {
      return UnmountOutcome.UNMOUNTED;
    }
    CommandRunner.Result lazy = run(List.of(umount, "--lazy", "--", target.toString()));
    if (lazy.succeeded() && !isMounted(target)) {
      return UnmountOutcome.DETACHED_LAZILY;
    }
    throw failure("umount of " + target, lazy);
  }

  @Override
  public boolean isMounted(Path target) throws ShareException {
    return MountTable.read().contains(target.toString());
  }

  private static CommandRunner.Result run(List<String> argv) throws ShareException {
    try {
      return CommandRunner.run(argv, COMMAND_TIMEOUT);
    } catch (IOException e) {
      throw new ShareException(ShareException.Kind.INTERNAL,
          "cannot run " + argv.get(0) + ": " + e.getMessage(), e);
    }
  }

  private static ShareException failure(String what, CommandRunner.Result result) {
    if (result.timedOut()) {
      return new ShareException(ShareException.Kind.INTERNAL,
          what + " did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s");
    }
    String lower = result.output().toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("permission denied") || lower.contains("only root")
        || lower.contains("must be superuser") || lower.contains("operation not permitted")) {
      return new ShareException(ShareException.Kind.PERMISSION,
          NEEDS_CAP_SYS_ADMIN + " (" + what + " said " + result.firstLine() + ")");
    }
    return new ShareException(ShareException.Kind.INTERNAL,
        what + " failed (exit " + result.exitCode() + "): " + result.firstLine());
  }

  private static String systemProgram(String name) {
    for (Path dir : SYSTEM_BIN_DIRS) {
      Path candidate = dir.resolve(name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    // Not installed: keep the bare name so the failure names the program; PATH is fixed above.
    return name;
  }
}
