package org.multiverse.scramble.host.guest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes a cpio archive in the "newc" format the kernel unpacks as an initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst): per entry a 110-byte ASCII
 * header ({@code 070701} and thirteen 8-digit hex fields), the NUL-terminated name padded to
 * 4 bytes, the data padded to 4 bytes; then the {@code TRAILER!!!} entry.
 */
public final class CpioNewcWriter implements AutoCloseable {

    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFLNK = 0120000;

    /** The kernel's initramfs unpacker refuses longer names (PATH_MAX). */
    public static final int MAX_NAME_BYTES = 4096;

    /** The kernel's unpacker refuses longer symbolic link targets (PATH_MAX, with the NUL). */
    public static final int MAX_LINK_TARGET_BYTES = 4095;

    private static final String MAGIC = "070701";
    private static final String TRAILER = "TRAILER!!!";

    private final OutputStream out;
    private final Set<String> names = new HashSet<>();
    private long written;
    private int nextInode = 1;
    private boolean finished;

    public CpioNewcWriter(OutputStream out) {
        this.out = out;
    }

    /** A directory; its parent must come earlier (the kernel's unpacker creates no parents). */
    public void directory(String name, int permissions) throws IOException {
        entry(name, S_IFDIR | permissions, 2, 0, 0, new byte[0]);
    }

    public void file(String name, int permissions, byte[] data) throws IOException {
        entry(name, S_IFREG | permissions, 1, 0, 0, data);
    }

    public void characterDevice(String name, int permissions, int major, int minor) throws IOException {
        entry(name, S_IFCHR | permissions, 1, major, minor, new byte[0]);
    }

    /** A symbolic link: newc stores the target as the entry's data, without a NUL. */
    public void symlink(String name, String target) throws IOException {
        byte[] data = target.getBytes(StandardCharsets.UTF_8);
        if (data.length == 0 || data.length > MAX_LINK_TARGET_BYTES || target.contains("\0")) {
            throw new IllegalArgumentException("not a link target the kernel accepts: " + name);
        }
        entry(name, S_IFLNK | 0777, 1, 0, 0, data);
    }

    /** Writes the trailer; the archive is complete afterwards. */
    public void finish() throws IOException {
        if (!finished) {
            header(TRAILER, 0, 0, 1, 0, 0, 0);
            finished = true;
        }
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }

    private void entry(String name, int mode, int links, int rdevMajor, int rdevMinor, byte[] data) throws IOException {
        if (finished) {
            throw new IllegalStateException("archive already finished");
        }
        if (name.isEmpty()
                || name.startsWith("/")
                || name.contains("\0")
                || name.equals(TRAILER)
                || name.equals("..")
                || name.startsWith("../")
                || name.contains("/../")
                || name.endsWith("/..")) {
            throw new IllegalArgumentException("not a relative archive name: " + name);
        }
        if (name.getBytes(StandardCharsets.UTF_8).length + 1 > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("archive name longer than " + MAX_NAME_BYTES + " bytes");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("archive name twice: " + name);
        }
        header(name, nextInode++, mode, links, rdevMajor, rdevMinor, data.length);
        out.write(data);
        written += data.length;
        pad();
    }

    private void header(String name, int inode, int mode, int links, int rdevMajor, int rdevMinor, int size)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder(110).append(MAGIC);
        // ino, mode, uid, gid, nlink, mtime (0: reproducible), filesize, devmajor, devminor,
        // rdevmajor, rdevminor, namesize (with its NUL), check (0 in newc).
        for (long field :
                new long[] {inode, mode, 0, 0, links, 0, size, 0, 0, rdevMajor, rdevMinor, nameBytes.length + 1, 0}) {
            header.append(String.format("%08x", field));
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        out.write(headerBytes);
        out.write(nameBytes);
        out.write(0);
        written += headerBytes.length + nameBytes.length + 1;
        pad();
    }

    private void pad() throws IOException {
        while (written % 4 != 0) {
            out.write(0);
            written++;
        }
    }
}
