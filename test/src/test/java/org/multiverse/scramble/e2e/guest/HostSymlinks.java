package org.multiverse.scramble.e2e.guest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.multiverse.scramble.host.guest.CpioNewcWriter;
import org.multiverse.scramble.host.guest.GuestInitramfs;

/**
 * The symbolic links of the host's root file system, as a tree of the same links in the guest's
 * initramfs under {@value #LAYER}.
 *
 * <p>Why the guest needs them: with {@code security_model=mapped-xattr} (the host agent's 9p
 * export, see NinePShare) QEMU stores a link the guest makes as a regular file holding the
 * target, so it reads every link by opening it with {@code O_NOFOLLOW} and reading it. On a
 * real host link that open fails with ELOOP: the guest lists {@code /bin}, {@code /lib64},
 * {@code /usr/bin/java} and every {@code libfoo.so.N} as links but cannot follow any of them
 * ("Too many levels of symbolic links"). The guest's init therefore stacks this tree over the
 * share as the top layer of a read-only overlayfs (no writable layer), where its links hide the
 * unreadable ones.
 * A link created on the host after the initramfs was built stays unreadable in the guest.
 *
 * <p>What is scanned is what a non-recursive bind mount of {@code /} shows: the root file system
 * without anything mounted on it, and not the folders the guest mounts its own file systems on
 * ({@link #GUEST_MOUNTS}). Each directory on a link's path is recorded with the host's
 * permission bits (in the overlay the upper layer's directory decides them); its owner is root,
 * as {@link CpioNewcWriter} writes every entry.
 */
final class HostSymlinks implements GuestInitramfs.ExtraEntries {

    /** The folder in the initramfs; the guest's init names it as the overlay's top layer. */
    static final String LAYER = "hostroot-symlinks";

    /** Where the guest mounts its own proc, sysfs, devtmpfs and tmpfs: the host's are hidden. */
    static final Set<String> GUEST_MOUNTS = Set.of("/proc", "/sys", "/dev", "/run", "/tmp");

    /** find takes about 1.5 s on a Debian root; this only stops a wedged file system. */
    private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(120);

    /** The usual folder mode, for a folder whose own mode cannot be read. */
    private static final int DEFAULT_DIRECTORY_MODE = 0755;

    private final Map<String, Integer> directories; // relative path -> permission bits
    private final Map<String, String> links; // relative path -> target
    private final int skipped;

    private HostSymlinks(Map<String, Integer> directories, Map<String, String> links, int skipped) {
        this.directories = directories;
        this.links = links;
        this.skipped = skipped;
    }

    /**
     * Scans {@code root} (normally {@code /}) on its own file system, leaving out
     * {@link #GUEST_MOUNTS} and {@code bindMounts}: mount points of the same file system
     * ({@link HostRootMount#rootFileSystemMountPoints()}), which {@code find -xdev} would enter
     * though a non-recursive bind of the root does not show them. (Each one left out costs a
     * pattern test per file, so mounts of other file systems, which -xdev skips, are not passed.)
     */
    static HostSymlinks scan(Path root, Set<Path> bindMounts) throws IOException {
        Path rootPath = root.toAbsolutePath().normalize();
        Map<String, String> links = new TreeMap<>();
        int skipped = 0;
        List<String> fields = splitAtNul(find(rootPath, bindMounts));
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String name = fields.get(i);
            String target = fields.get(i + 1);
            if (name != null && target != null && archivable(name) && archivable(target)) {
                links.put(name, target);
            } else {
                skipped++;
            }
        }
        Map<String, Integer> directories = new TreeMap<>();
        for (String link : links.keySet()) {
            for (Path dir = Path.of(link).getParent(); dir != null; dir = dir.getParent()) {
                if (directories.containsKey(dir.toString())) {
                    break;
                }
                directories.put(dir.toString(), permissionBits(rootPath.resolve(dir)));
            }
        }
        return new HostSymlinks(directories, links, skipped);
    }

    /**
     * find's list of links, as NUL-separated name (relative to {@code root}) and target pairs.
     * find, not a Java walk: it tells links from the directory entries' types without a stat per
     * file (about 1.5 s for a Debian root instead of 3.5 s), and it gives the names' bytes, which
     * a JVM whose file-name encoding is not UTF-8 would decode lossily.
     */
    private static byte[] find(Path root, Set<Path> bindMounts) throws IOException {
        List<String> command = new ArrayList<>(List.of("find", root.toString(), "-xdev", "("));
        List<Path> pruned = new ArrayList<>();
        for (String guestMount : GUEST_MOUNTS) {
            pruned.add(root.resolve(guestMount.substring(1)));
        }
        for (Path mountPoint : bindMounts) {
            if (mountPoint.startsWith(root) && !mountPoint.equals(root)) {
                pruned.add(mountPoint);
            }
        }
        for (Path path : pruned) {
            if (command.size() > 4) {
                command.add("-o");
            }
            command.addAll(List.of("-path", globEscape(path.toString())));
        }
        command.addAll(List.of(")", "-prune", "-o", "-type", "l", "-printf", "%P\\0%l\\0"));
        Path output = Files.createTempFile("hostroot-links", ".bin");
        try {
            // Output to a file, not a pipe, so that the wait below bounds the whole run.
            Process process = new ProcessBuilder(command)
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            try {
                if (!process.waitFor(SCAN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("find did not list the host's links within " + SCAN_TIMEOUT);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while listing the host's links", e);
            }
            // Exit 1 means some folder was unreadable or vanished while walking: not needed here.
            if (process.exitValue() > 1) {
                throw new IOException("find failed (exit " + process.exitValue() + "): " + command);
            }
            return Files.readAllBytes(output);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The NUL-terminated fields of {@code bytes}, each decoded as UTF-8, or null if invalid. */
    private static List<String> splitAtNul(byte[] bytes) {
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                try {
                    fields.add(StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, start, i - start))
                            .toString());
                } catch (CharacterCodingException e) {
                    fields.add(null);
                }
                start = i + 1;
            }
        }
        return fields;
    }

    /** find's -path takes a glob: its special characters must be taken literally. */
    private static String globEscape(String path) {
        return path.replaceAll("([\\\\*?\\[\\]])", "\\\\$1");
    }

    /** How many links were found. */
    int size() {
        return links.size();
    }

    /** How many links were left out: names or targets that are not UTF-8, or too long. */
    int skipped() {
        return skipped;
    }

    @Override
    public byte[] cacheKey() {
        MessageDigest digest = sha256();
        for (Map.Entry<String, Integer> dir : directories.entrySet()) {
            digest.update(("d " + dir.getValue() + " " + dir.getKey() + "\0").getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, String> link : links.entrySet()) {
            digest.update(("l " + link.getKey() + "\0" + link.getValue() + "\0").getBytes(StandardCharsets.UTF_8));
        }
        return digest.digest();
    }

    @Override
    public void writeTo(CpioNewcWriter cpio) throws IOException {
        cpio.directory(LAYER, 0755);
        // Sorted, so every parent (a prefix of its children) comes before them.
        for (Map.Entry<String, Integer> dir : directories.entrySet()) {
            cpio.directory(LAYER + "/" + dir.getKey(), dir.getValue());
        }
        for (Map.Entry<String, String> link : links.entrySet()) {
            cpio.symlink(LAYER + "/" + link.getKey(), link.getValue());
        }
    }

    /** Whether a name or target fits the archive (both are bounded by PATH_MAX there). */
    private static boolean archivable(String text) {
        return !text.isEmpty()
                && text.getBytes(StandardCharsets.UTF_8).length + LAYER.length() + 2
                        <= CpioNewcWriter.MAX_LINK_TARGET_BYTES;
    }

    /**
     * The mode's permission bits, sticky and set-id bits included (/var/tmp is 1777); 0755 for
     * a folder this JVM cannot name (a non-ASCII name in a file-name encoding other than UTF-8).
     */
    private static int permissionBits(Path dir) {
        try {
            return (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_DIRECTORY_MODE;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For the test's report. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(links.size() + " host links in " + directories.size() + " folders");
        if (skipped > 0) {
            parts.add(skipped + " left out (not UTF-8, or too long)");
        }
        return String.join(", ", parts);
    }
}
