package org.multiverse.scramble.protocol.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;

/** The file side of a listening unix socket: what may be replaced, and who may connect. */
final class UnixSocketFiles {
    /** st_mode file-type bits and the socket type, from sys/stat.h. */
    private static final int S_IFMT = 0170000;

    private static final int S_IFSOCK = 0140000;

    private UnixSocketFiles() {}

    /**
     * Makes room for a new socket at {@code path}: removes a stale socket left by a previous
     * run, refuses to remove anything else (a typo must not delete someone's file).
     */
    static void prepareForBind(Path path) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException("refusing to listen on " + path + ": a file that is not a socket is there");
        }
        Files.delete(path);
    }

    /**
     * Restricts the socket to its owner (mode 0600). Connecting to a unix socket needs write
     * permission on it, so this keeps other local users off the agent. There is a short window
     * between bind and chmod; deployments put the socket in a 0700 directory to close it.
     */
    static void restrictToOwner(Path path) throws IOException {
        Files.setPosixFilePermissions(
                path, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
}
