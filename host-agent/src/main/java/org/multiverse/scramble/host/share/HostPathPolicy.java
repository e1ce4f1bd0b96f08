package org.multiverse.scramble.host.share;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides whether a host folder may be linked into a portal's share, and returns it in
 * canonical form. The order of the checks is the order of the messages a person can get:
 * the text itself (characters, absolute, no {@code ..}), then whether it leads under an
 * allowed root after following every symbolic link ({@code toRealPath}), then what it is.
 * A refusal states the rule broken, never a fact about the host outside the allowed roots
 * (whether a path exists, where a symbolic link points): that detail goes to the agent's log.
 *
 * <p>The canonical path is what gets mounted, so a symlink inside an allowed root cannot lead
 * the mount elsewhere, and the path handed to mount(8) contains no symlinks at check time.
 * (A host user who can rename folders inside an allowed root between this check and the
 * mount could still swap a component; allowed roots are meant to be the person's own
 * folders, which that user controls anyway.)
 */
final class HostPathPolicy {

    private static final System.Logger LOG = System.getLogger(HostPathPolicy.class.getName());

    /** PATH_MAX on Linux: longer paths cannot be passed to mount(2) at all. */
    static final int MAX_PATH_CHARS = 4096;

    /** Kernel pseudo file systems: linking them would hand the guest the host's kernel state. */
    static final List<Path> NEVER_LINKED = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

    private final List<Path> allowedRoots;

    /**
     * @param allowedRoots the folders under which links may point; each must exist, is
     *     canonicalised now, and may not be {@code /} or inside a kernel pseudo file system
     * @throws IllegalArgumentException for a root that breaks those rules (configuration error)
     */
    HostPathPolicy(List<Path> allowedRoots) {
        List<Path> roots = new ArrayList<>();
        for (Path root : allowedRoots) {
            if (root == null || !root.isAbsolute()) {
                throw new IllegalArgumentException("allowed share root must be absolute: " + root);
            }
            Path real;
            try {
                real = root.toRealPath();
            } catch (IOException e) {
                throw new IllegalArgumentException("allowed share root " + root + " is not usable: " + e, e);
            }
            if (real.getParent() == null) {
                throw new IllegalArgumentException("allowed share root may not be / (from " + root + ")");
            }
            for (Path never : NEVER_LINKED) {
                if (real.startsWith(never)) {
                    throw new IllegalArgumentException("allowed share root " + root + " lies in " + never);
                }
            }
            roots.add(real);
        }
        this.allowedRoots = List.copyOf(roots);
    }

    /** The canonical allowed roots. */
    List<Path> allowedRoots() {
        return allowedRoots;
    }

    /**
     * Checks {@code hostPath} for linking into the share of the portal whose state directory is
     * {@code portalDir}.
     *
     * @param hostPath the path as the person typed it
     * @param portalDir the portal's canonical state directory (the share is {@code portalDir/share})
     * @param shareRoot the portal's canonical share root
     * @return the canonical folder to bind-mount
     * @throws ShareException INVALID_ARGUMENT, NOT_FOUND or PERMISSION with the reason
     */
    Path check(String hostPath, Path portalDir, Path shareRoot) throws ShareException {
        if (hostPath == null || hostPath.isEmpty()) {
            throw invalid("host path is empty");
        }
        if (hostPath.length() > MAX_PATH_CHARS) {
            throw invalid("host path is " + hostPath.length() + " characters long; at most " + MAX_PATH_CHARS
                    + " are allowed");
        }
        checkCharacters("host path " + Display.quote(hostPath), hostPath);
        if (hostPath.charAt(0) != '/') {
            throw invalid("host path " + Display.quote(hostPath) + " is not absolute; give the full path");
        }
        for (String element : hostPath.split("/")) {
            if (element.equals("..")) {
                throw invalid("host path " + Display.quote(hostPath)
                        + " contains '..'; give the folder's path without parent references");
            }
        }
        Path given = Path.of(hostPath).normalize();
        refusePseudoFileSystems(hostPath, given);
        String shown = Display.quote(hostPath);

        // Nothing that depends on what exists is said before the path is known to lead under an
        // allowed root: outside them, existing, missing and symlinked-out paths get one refusal.
        Optional<HostPaths.Resolution> resolved = HostPaths.resolve(given);
        if (resolved.isEmpty() || allowedRoots.stream().noneMatch(resolved.get().real()::startsWith)) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "share link refused: host path {0} leads to {1}, outside the allowed roots",
                    shown,
                    resolved.map(r -> r.real() + (r.whole() ? "" : " (as far as it exists)"))
                            .orElse("a dangling symbolic link"));
            String roots = allowedRoots.isEmpty()
                    ? "none are configured"
                    : allowedRoots.stream().map(Path::toString).collect(Collectors.joining(", "));
            throw permission("host path " + shown
                    + " is not under an allowed root once symbolic links are followed (allowed: " + roots + ")");
        }
        Path real = realPath(hostPath, given);
        if (!real.equals(given)) {
            checkCharacters("host path " + shown + ", once symbolic links are followed,", real.toString());
        }
        if (real.equals(shareRoot)) {
            throw permission("host path " + shown + " is the portal's share itself");
        }
        if (real.startsWith(shareRoot)) {
            throw permission(
                    "host path " + shown + " lies inside the portal's share; a share cannot be linked into itself");
        }
        if (real.startsWith(portalDir)) {
            throw permission("host path " + shown
                    + " lies inside the portal's state directory; that directory belongs to the agent");
        }
        if (portalDir.startsWith(real)) {
            throw permission(
                    "host path " + shown
                            + " contains the portal's own state directory and share; linking it would expose the share to itself");
        }
        refuseNonFolders(shown, real);
        return real;
    }

    /** Characters that mount options, mountinfo or fstab give meaning to, and control characters. */
    private static void checkCharacters(String subject, String path) throws ShareException {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == 0) {
                throw invalid(subject + " contains a NUL character");
            }
            if (c == '\n' || c == '\r') {
                throw invalid(subject + " contains a line break");
            }
            if (Character.isISOControl(c)) {
                throw invalid(subject + " contains a control character");
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw invalid(subject + " contains a space; spaces separate fstab and mountinfo fields,"
                        + " so linked folders may not have them (link a parent or rename the folder)");
            }
            if (c == ',') {
                throw invalid(subject + " contains a comma; commas separate mount and QEMU options,"
                        + " so linked folders may not have them");
            }
            if (c == '=') {
                throw invalid(subject + " contains '='; it separates option names from values,"
                        + " so linked folders may not have it");
            }
            if (c == '\\') {
                throw invalid(subject + " contains a backslash; it is the escape character of fstab"
                        + " and mountinfo, so linked folders may not have it");
            }
        }
    }

    private static void refusePseudoFileSystems(String shown, Path path) throws ShareException {
        for (Path never : NEVER_LINKED) {
            if (path.startsWith(never)) {
                throw permission("host path " + Display.quote(shown) + " is in " + never
                        + "; kernel pseudo file systems (/proc, /sys, /dev) are never linked");
            }
        }
    }

    private static Path realPath(String hostPath, Path given) throws ShareException {
        try {
            return given.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ShareException(
                    ShareException.Kind.NOT_FOUND, "host path " + Display.quote(hostPath) + " does not exist");
        } catch (AccessDeniedException e) {
            throw permission("host path " + Display.quote(hostPath) + " cannot be resolved: permission denied");
        } catch (FileSystemException e) {
            // ELOOP, ENOTDIR and friends: the reason text from the OS is the specific part.
            throw invalid("host path " + Display.quote(hostPath) + " cannot be resolved: "
                    + (e.getReason() == null ? "file system error" : e.getReason()));
        } catch (IOException e) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL,
                    "host path " + Display.quote(hostPath) + " cannot be resolved: " + e.getMessage(),
                    e);
        }
    }

    private static void refuseNonFolders(String shown, Path real) throws ShareException {
        BasicFileAttributes attributes;
        int mode;
        try {
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            mode = (Integer) Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL,
                    "cannot read the type of host path " + shown + ": " + e.getMessage(),
                    e);
        }
        if (attributes.isDirectory()) {
            return;
        }
        String what = switch (mode & FileType.S_IFMT) {
            case FileType.S_IFCHR -> "a character device file";
            case FileType.S_IFBLK -> "a block device file";
            case FileType.S_IFIFO -> "a FIFO";
            case FileType.S_IFSOCK -> "a socket";
            case FileType.S_IFREG -> "a regular file";
            default -> "not a folder";
        };
        throw invalid("host path " + shown + " is " + what + "; only folders can be linked");
    }

    /** The file type bits of st_mode (from Linux's {@code sys/stat.h}). */
    private static final class FileType {
        static final int S_IFMT = 0170000;
        static final int S_IFSOCK = 0140000;
        static final int S_IFREG = 0100000;
        static final int S_IFBLK = 0060000;
        static final int S_IFCHR = 0020000;
        static final int S_IFIFO = 0010000;
    }

    private static ShareException invalid(String message) {
        return new ShareException(ShareException.Kind.INVALID_ARGUMENT, message);
    }

    private static ShareException permission(String message) {
        return new ShareException(ShareException.Kind.PERMISSION, message);
    }
}
