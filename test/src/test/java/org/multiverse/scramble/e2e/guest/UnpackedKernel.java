package org.multiverse.scramble.e2e.guest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.SingleXZInputStream;

/**
 * The uncompressed kernel ({@code vmlinux}, an ELF) inside a bzImage, for QEMU to boot directly
 * through the kernel's PVH entry. Under TCG the bzImage's own decompressor runs emulated and
 * costs about 4 s for Debian's xz-compressed kernel; the host does the same work once, natively,
 * in under a second, and caches the result.
 *
 * <p>Where the payload is (x86 boot protocol, Documentation/arch/x86/boot.rst): the real-mode
 * setup takes the first {@code setup_sects + 1} sectors; from protocol 2.08 on,
 * {@code payload_offset} and {@code payload_length} locate the compressed kernel within the
 * protected-mode part that follows. Debian's kernel is xz-compressed (CONFIG_KERNEL_XZ); a
 * gzip payload is read too; any other compression (zstd, lz4, ...) falls back to the bzImage.
 * QEMU loads an ELF kernel only if it has the Xen PVH entry note
 * ({@code XEN_ELFNOTE_PHYS32_ENTRY}), which kernels built with CONFIG_PVH carry; without it the
 * bzImage is used as well.
 */
final class UnpackedKernel {

    /** The bootable image and how it was obtained, for the test's report. */
    record Image(Path path, boolean unpacked, String note) {}

    // Offsets in the bzImage's setup header (boot.rst, "The Real-Mode Kernel Header").
    private static final int SETUP_SECTS = 0x1f1;
    private static final int HEADER_MAGIC = 0x202;
    private static final int PROTOCOL_VERSION = 0x206;
    private static final int PAYLOAD_OFFSET = 0x248;
    private static final int PAYLOAD_LENGTH = 0x24c;
    /** payload_offset and payload_length exist from this protocol version on. */
    private static final int MIN_PROTOCOL = 0x208;
    /** "If this field is 0, the real value is 4" (boot.rst, setup_sects). */
    private static final int DEFAULT_SETUP_SECTS = 4;

    private static final int SECTOR_BYTES = 512;

    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};

    // ELF64 (elf.h): header fields, program header type PT_NOTE, machine EM_X86_64.
    private static final int EM_X86_64 = 62;
    private static final int PT_NOTE = 4;
    private static final int ELF64_HEADER_BYTES = 64;
    /** include/xen/interface/elfnote.h: the 32-bit entry point QEMU's PVH loader jumps to. */
    private static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;

    /** A Debian vmlinux is about 65 MiB; far more means a corrupt or hostile payload. */
    private static final long MAX_VMLINUX_BYTES = 512L * 1024 * 1024;
    /** Notes are a few hundred bytes; a larger PT_NOTE segment is not a kernel's. */
    private static final int MAX_NOTE_SEGMENT_BYTES = 1024 * 1024;

    private UnpackedKernel() {}

    /**
     * The kernel to boot for {@code bzImage}: its unpacked vmlinux from {@code cacheDir} (made
     * there on first use), or the bzImage itself when it cannot be unpacked, with the reason.
     */
    static Image forBzImage(Path bzImage, Path cacheDir) throws IOException {
        byte[] image = Files.readAllBytes(bzImage);
        String key = HexFormat.of().formatHex(sha256(image), 0, 12);
        Path cached = cacheDir.resolve("vmlinux-" + key);
        if (Files.isRegularFile(cached)) {
            return new Image(cached, true, "unpacked vmlinux (cached)");
        }
        Files.createDirectories(cacheDir);
        Path temporary = Files.createTempFile(cacheDir, "vmlinux-" + key, ".tmp");
        try {
            String refusal = unpack(image, temporary);
            if (refusal != null) {
                Files.deleteIfExists(temporary);
                return new Image(bzImage, false, "bzImage (" + refusal + ")");
            }
            Files.move(temporary, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Image(cached, true, "unpacked vmlinux");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            return new Image(bzImage, false, "bzImage (unpacking failed: " + e + ")");
        }
    }

    /** Writes the vmlinux inside {@code image} to {@code target}; a reason if it cannot. */
    static String unpack(byte[] image, Path target) throws IOException {
        if (image.length < PAYLOAD_LENGTH + 4
                || !"HdrS".equals(new String(image, HEADER_MAGIC, 4, StandardCharsets.US_ASCII))) {
            return "no x86 boot protocol header";
        }
        ByteBuffer header = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int protocol = Short.toUnsignedInt(header.getShort(PROTOCOL_VERSION));
        if (protocol < MIN_PROTOCOL) {
            return String.format("boot protocol %x.%02x names no payload", protocol >> 8, protocol & 0xff);
        }
        int setupSects = Byte.toUnsignedInt(image[SETUP_SECTS]);
        long start = (long) ((setupSects == 0 ? DEFAULT_SETUP_SECTS : setupSects) + 1) * SECTOR_BYTES
                + Integer.toUnsignedLong(header.getInt(PAYLOAD_OFFSET));
        long length = Integer.toUnsignedLong(header.getInt(PAYLOAD_LENGTH));
        if (length == 0 || start + length > image.length) {
            return "payload outside the image";
        }
        try (InputStream payload = decompressor(image, (int) start, (int) length)) {
            if (payload == null) {
                return "payload compression other than xz or gzip";
            }
            copyBounded(payload, target);
        }
        return pvhKernelRefusal(target);
    }

    private static InputStream decompressor(byte[] image, int start, int length) throws IOException {
        InputStream raw = new ByteArrayInputStream(image, start, length);
        if (startsWith(image, start, XZ_MAGIC)) {
            // One stream only: the kernel appends the uncompressed size (4 bytes) after it, which a
            // multi-stream reader would take for a corrupt next stream.
            return new SingleXZInputStream(raw);
        }
        if (startsWith(image, start, GZIP_MAGIC)) {
            return new GZIPInputStream(raw);
        }
        return null;
    }

    private static void copyBounded(InputStream in, Path target) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > MAX_VMLINUX_BYTES) {
                    throw new IOException("the payload unpacks to more than " + MAX_VMLINUX_BYTES + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    /** Null if {@code vmlinux} is an x86-64 ELF with a PVH entry note, else why not. */
    static String pvhKernelRefusal(Path vmlinux) throws IOException {
        try (FileChannel file = FileChannel.open(vmlinux, StandardOpenOption.READ)) {
            ByteBuffer elf = read(file, 0, ELF64_HEADER_BYTES);
            if (elf == null || elf.getInt(0) != 0x464c457f || elf.get(4) != 2 || elf.get(5) != 1) {
                return "the payload is not a 64-bit little-endian ELF";
            }
            if (Short.toUnsignedInt(elf.getShort(0x12)) != EM_X86_64) {
                return "the payload is not an x86-64 kernel";
            }
            long phoff = elf.getLong(0x20);
            int phentsize = Short.toUnsignedInt(elf.getShort(0x36));
            int phnum = Short.toUnsignedInt(elf.getShort(0x38));
            for (int i = 0; i < phnum; i++) {
                ByteBuffer ph = read(file, phoff + (long) i * phentsize, phentsize);
                if (ph == null || phentsize < 0x28) {
                    return "truncated program headers";
                }
                long size = ph.getLong(0x20);
                if (ph.getInt(0) == PT_NOTE
                        && size <= MAX_NOTE_SEGMENT_BYTES
                        && hasPvhNote(read(file, ph.getLong(0x08), (int) size))) {
                    return null;
                }
            }
            return "no PVH entry note (a kernel without CONFIG_PVH)";
        }
    }

    /** Walks one PT_NOTE segment: namesz, descsz, type, then name and desc, each 4-aligned. */
    private static boolean hasPvhNote(ByteBuffer notes) {
        if (notes == null) {
            return false;
        }
        int at = 0;
        while (at + 12 <= notes.limit()) {
            long nameSize = Integer.toUnsignedLong(notes.getInt(at));
            long descSize = Integer.toUnsignedLong(notes.getInt(at + 4));
            int type = notes.getInt(at + 8);
            long next = at + 12 + align4(nameSize) + align4(descSize);
            if (next > notes.limit()) {
                return false;
            }
            if (type == XEN_ELFNOTE_PHYS32_ENTRY
                    && nameSize == 4
                    && notes.get(at + 12) == 'X'
                    && notes.get(at + 13) == 'e'
                    && notes.get(at + 14) == 'n'
                    && notes.get(at + 15) == 0) {
                return true;
            }
            at = (int) next;
        }
        return false;
    }

    private static long align4(long n) {
        return (n + 3) & ~3L;
    }

    /** {@code length} bytes at {@code offset}, little-endian, or null past the end. */
    private static ByteBuffer read(FileChannel file, long offset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset + length > file.size()) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, offset + buffer.position()) < 0) {
                return null;
            }
        }
        return buffer.flip();
    }

    private static boolean startsWith(byte[] data, int at, byte[] prefix) {
        if (at + prefix.length > data.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
