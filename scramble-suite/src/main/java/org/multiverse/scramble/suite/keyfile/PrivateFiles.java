package org.multiverse.scramble.suite.keyfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writing small private files (key files, pinned agents) so that a crash leaves
 * either the old or the new content, never half of it, and the content is never
 * readable by others, not even for an instant.
 */
public final class PrivateFiles {

    /** rw------- */
    public static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private PrivateFiles() {}

    /**
     * Replaces {@code target} with {@code content}: a temporary file created with
     * mode 0600 in the same directory, written and fsynced, atomically moved over
     * the target, then the directory fsynced so the rename itself is durable.
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp", ownerOnly);
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Refuses a secret file that group or others may read or write, naming the {@code chmod}
     * that fixes it, as ssh does. Checked before the file is read.
     *
     * @param what what the file is, for the message ("agent key", "authorised roots")
     */
    public static void requireOwnerOnly(Path file, String what) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        for (PosixFilePermission p : permissions) {
            if (!OWNER_ONLY.contains(p) && p != PosixFilePermission.OWNER_EXECUTE) {
                throw new IOException("permissions " + octal(permissions) + " for " + what + " " + file
                        + " are too open: it must be readable and writable by you only. Run: chmod 600 " + file);
            }
        }
    }

    /**
     * Whether group or others may write {@code path}: a file that decides what a program trusts
     * or runs (a pin file, a declared portal) must not be, even when it holds nothing secret.
     */
    public static boolean writableByOthers(Path path) throws IOException {
        return (mode(path) & GROUP_OR_OTHERS_WRITE) != 0;
    }

    /** Who, besides the user running this process, may own a path checked by {@link #requireStrictModes}. */
    public enum Owner {
        /** Only the user running this process: what it writes itself (its state directory, keys). */
        SELF,
        /** That user or root: configuration an administrator installs for it (a policy file). */
        SELF_OR_ROOT
    }

    /**
     * As sshd's StrictModes: refuses {@code path} unless it and every directory above it, both
     * as given and after following symbolic links, are safe from other users. A path is safe when
     * group and others may not write it and its owner is allowed ({@code owner} for the path
     * itself; the running user or root for the directories above, as sshd accepts root-owned
     * parents). A directory above that others may write is still safe when it is root's and
     * sticky, like {@code /tmp}: there, nobody else can rename or remove an entry that is ours.
     * Whoever can write any of these could replace what the program trusts (its authorised
     * keys, its policy), so the check runs before the file is read.
     *
     * @param what what the path is, for the message ("state directory", "policy file")
     * @throws IOException naming the unsafe path and the exact {@code chmod} or {@code chown}
     *     that fixes it; or if the path cannot be read
     */
    public static void requireStrictModes(Path path, String what, Owner owner) throws IOException {
        Path given = path.toAbsolutePath().normalize();
        Path real = given.toRealPath();
        requireSafe(real, what + " " + path, owner == Owner.SELF_OR_ROOT, false);
        Set<Path> above = new java.util.LinkedHashSet<>();
        for (Path p = given.getParent(); p != null; p = p.getParent()) {
            above.add(p);
        }
        for (Path p = real.getParent(); p != null; p = p.getParent()) {
            above.add(p);
        }
        for (Path p : above) {
            requireSafe(p.toRealPath(), p + ", a directory above the " + what + " " + path + ",", true, true);
        }
    }

    /** {@code S_IWGRP | S_IWOTH}. */
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    /** {@code S_ISVTX}: in a sticky directory only an entry's owner may rename or remove it. */
    private static final int STICKY = 01000;

    private static final int ROOT_UID = 0;

    private static void requireSafe(Path path, String described, boolean rootMayOwn, boolean stickyRootDirOk)
            throws IOException {
        int mode = mode(path);
        int ownerUid = (Integer) Files.getAttribute(path, "unix:uid");
        long self = ProcessUser.uid();
        boolean ownedByRoot = ownerUid == ROOT_UID;
        if (ownerUid != self && !(rootMayOwn && ownedByRoot)) {
            throw new IOException(described + " is owned by uid " + ownerUid + ", not by " + ProcessUser.name()
                    + " (uid " + self + "), who runs this" + (rootMayOwn && self != ROOT_UID ? ", nor by root" : "")
                    + ", so that user could replace what it trusts. Run: chown " + ProcessUser.name() + " " + path);
        }
        boolean stickyRootDir = stickyRootDirOk && ownedByRoot && (mode & STICKY) != 0;
        if ((mode & GROUP_OR_OTHERS_WRITE) != 0 && !stickyRootDir) {
            throw new IOException(described + " is writable by group or others (mode "
                    + String.format("%04o", mode & 07777)
                    + "), so another user could replace what it trusts. Run: chmod go-w " + path);
        }
    }

    /** The file mode bits ({@code st_mode & 07777}), following links. */
    private static int mode(Path path) throws IOException {
        return ((Integer) Files.getAttribute(path, "unix:mode")) & 07777;
    }

    /** The mode as four octal digits, e.g. {@code 0644}, for messages. */
    static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }
}
