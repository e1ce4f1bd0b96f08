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
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        return permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE);
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
