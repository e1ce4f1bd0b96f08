package org.multiverse.scramble.e2e.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The host's root file system bind-mounted read-only at {@code SHARE/host}, where a 9p export
 * of {@code SHARE} carries it into the guest. The bind is not recursive: it shows the root file
 * system alone, without /proc, /sys, /dev or anything else mounted on it.
 *
 * <p>Why closing matters: while the bind exists, deleting {@code SHARE} recursively (a test's
 * temporary folder) walks into the host's root. Read-only makes that fail rather than destroy,
 * but the bind must still never outlive its test: {@link #close()} unmounts it, lazily when QEMU
 * still holds files in it, and checks that it is gone; {@link #unmountAllUnder(Path)} is the
 * safety net for an {@code @AfterEach}.
 */
public final class HostRootMount implements AutoCloseable {

    /** The folder inside the share root that the guest uses as its root. */
    public static final String HOST_DIR = "host";

    /** mount and umount finish in milliseconds; this only stops a wedged kernel from hanging. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private final Path mountPoint;
    private boolean closed;

    private HostRootMount(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /**
     * Bind-mounts {@code /} at {@code shareRoot/host} (created if missing) and remounts the bind
     * read-only. Needs root.
     *
     * @throws IOException if a step fails; nothing stays mounted then
     */
    public static HostRootMount bind(Path shareRoot) throws IOException {
        Path target = Files.createDirectories(shareRoot.resolve(HOST_DIR)).toRealPath();
        if (mountPoints().contains(target)) {
            throw new IOException(target + " is already a mount point");
        }
        run("mount", "--bind", "/", target.toString());
        HostRootMount mount = new HostRootMount(target);
        try {
            // A bind takes the source's flags; read-only needs this second, bind-only remount.
            run("mount", "-o", "remount,bind,ro", target.toString());
        } catch (IOException | RuntimeException e) {
            try {
                mount.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return mount;
    }

    /** Where the host root is mounted ({@code SHARE/host}). */
    public Path path() {
        return mountPoint;
    }

    /**
     * Unmounts the bind: normally, or lazily (detached at once, freed when QEMU lets go) while
     * still in use.
     *
     * @throws IOException if it is still mounted afterwards
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        unmount(mountPoint);
        closed = true;
    }

    /**
     * Unmounts everything mounted at or below {@code dir}, deepest first, and says what that was:
     * empty when the tests cleaned up after themselves.
     */
    public static List<Path> unmountAllUnder(Path dir) throws IOException {
        Path root = Files.exists(dir) ? dir.toRealPath() : dir.toAbsolutePath().normalize();
        List<Path> found = new ArrayList<>();
        for (Path mountPoint : mountPoints()) {
            if (mountPoint.startsWith(root)) {
                found.add(mountPoint);
            }
        }
        found.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path mountPoint : found) {
            unmount(mountPoint);
        }
        return found;
    }

    /** Every mount point of this process's mount namespace, from /proc/self/mountinfo. */
    public static Set<Path> mountPoints() throws IOException {
        Set<Path> points = new LinkedHashSet<>();
        for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                points.add(Path.of(unescape(fields[4])));
            }
        }
        return points;
    }

    /**
     * The mount points other than {@code /} whose file system is the root's own (bind mounts of
     * it, like {@code SHARE/host}): walking the root with {@code find -xdev} would enter them,
     * though a non-recursive bind of {@code /} does not show them.
     */
    static Set<Path> rootFileSystemMountPoints() throws IOException {
        List<String[]> entries = new ArrayList<>();
        String rootDevice = null;
        for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
            String[] fields = line.split(" "); // id, parent, major:minor, root, mount point, ...
            if (fields.length > 4) {
                entries.add(fields);
                if (fields[4].equals("/")) {
                    rootDevice = fields[2]; // the last mount on / is the one in use
                }
            }
        }
        Set<Path> points = new LinkedHashSet<>();
        for (String[] fields : entries) {
            if (fields[2].equals(rootDevice) && !fields[4].equals("/")) {
                points.add(Path.of(unescape(fields[4])));
            }
        }
        return points;
    }

    private static void unmount(Path mountPoint) throws IOException {
        // A mount point can be stacked (mounted twice); unmount until none is left there.
        for (int attempt = 0; attempt < 8 && mountPoints().contains(mountPoint); attempt++) {
            try {
                run("umount", "--", mountPoint.toString());
            } catch (IOException busy) {
                run("umount", "--lazy", "--", mountPoint.toString());
            }
        }
        if (mountPoints().contains(mountPoint)) {
            throw new IOException("could not unmount " + mountPoint);
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String text, int from) {
        for (int i = from; i < from + 3; i++) {
            if (i >= text.length() || text.charAt(i) < '0' || text.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    private static void run(String... command) throws IOException {
        // Output to a file, not a pipe: a pipe read would wait as long as the command, unbounded.
        Path output = Files.createTempFile("hostroot-mount", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            try {
                if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IOException(String.join(" ", command) + " did not finish");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted: " + String.join(" ", command), e);
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit "
                        + process.exitValue() + "): "
                        + new String(Files.readAllBytes(output), StandardCharsets.UTF_8).strip());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
