package org.multiverse.scramble.e2e.guest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Unpacking made-up bzImages: where the payload is, its compression, the PVH note. */
class UnpackedKernelTest {

    private static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;
    private static final int SOME_OTHER_XEN_NOTE = 6;

    @TempDir
    Path dir;

    @Test
    void unpacksAnXzPayloadWithTheKernelsSizeTrailer() throws IOException {
        byte[] vmlinux = elf(XEN_ELFNOTE_PHYS32_ENTRY);
        Path target = dir.resolve("vmlinux");
        assertNull(UnpackedKernel.unpack(bzImage(xz(vmlinux), 0), target));
        assertArrayEquals(vmlinux, Files.readAllBytes(target));
    }

    @Test
    void unpacksAGzipPayloadAndCachesTheResult() throws IOException {
        byte[] vmlinux = elf(XEN_ELFNOTE_PHYS32_ENTRY);
        Path image = Files.write(dir.resolve("vmlinuz"), bzImage(gzip(vmlinux), 4));
        UnpackedKernel.Image first = UnpackedKernel.forBzImage(image, dir.resolve("cache"));
        assertTrue(first.unpacked(), first.note());
        assertArrayEquals(vmlinux, Files.readAllBytes(first.path()));
        UnpackedKernel.Image second = UnpackedKernel.forBzImage(image, dir.resolve("cache"));
        assertEquals(first.path(), second.path());
        assertEquals("unpacked vmlinux (cached)", second.note());
    }

    @Test
    void fallsBackToTheBzImageWhenItCannotBootTheElf() throws IOException {
        Path image = Files.write(dir.resolve("vmlinuz"), bzImage(gzip(elf(SOME_OTHER_XEN_NOTE)), 0));
        UnpackedKernel.Image chosen = UnpackedKernel.forBzImage(image, dir.resolve("cache"));
        assertFalse(chosen.unpacked());
        assertEquals(image, chosen.path());
        assertTrue(chosen.note().contains("no PVH entry note"), chosen.note());
        try (var left = Files.list(dir.resolve("cache"))) {
            assertEquals(0, left.count(), "no temporary file stays behind");
        }
    }

    @Test
    void refusesWhatItCannotRead() throws IOException {
        Path target = dir.resolve("vmlinux");
        assertEquals("no x86 boot protocol header", UnpackedKernel.unpack(new byte[4096], target));
        byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
        assertEquals("payload compression other than xz or gzip", UnpackedKernel.unpack(bzImage(zstd, 0), target));
        byte[] old = bzImage(gzip(elf(XEN_ELFNOTE_PHYS32_ENTRY)), 0);
        ByteBuffer.wrap(old).order(ByteOrder.LITTLE_ENDIAN).putShort(0x206, (short) 0x207);
        assertEquals("boot protocol 2.07 names no payload", UnpackedKernel.unpack(old, target));
        assertEquals(
                "the payload is not a 64-bit little-endian ELF",
                UnpackedKernel.unpack(bzImage(gzip(new byte[100]), 0), target));
    }

    /**
     * A bzImage-shaped file: {@code setupSects} (0 meaning 4) + 1 sectors of setup with the
     * header, then 16 bytes of protected-mode code, then the payload and the 4-byte size that the
     * kernel's build appends.
     */
    private static byte[] bzImage(byte[] payload, int setupSects) {
        int setup = ((setupSects == 0 ? 4 : setupSects) + 1) * 512;
        int payloadOffset = 16;
        ByteBuffer image =
                ByteBuffer.allocate(setup + payloadOffset + payload.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        image.put(0x1f1, (byte) setupSects);
        image.put(0x202, (byte) 'H')
                .put(0x203, (byte) 'd')
                .put(0x204, (byte) 'r')
                .put(0x205, (byte) 'S');
        image.putShort(0x206, (short) 0x20f);
        image.putInt(0x248, payloadOffset);
        image.putInt(0x24c, payload.length + 4);
        image.put(setup + payloadOffset, payload);
        image.putInt(setup + payloadOffset + payload.length, 0x12345678);
        return image.array();
    }

    /** An x86-64 ELF header, one PT_NOTE program header, and one "Xen" note of {@code type}. */
    private static byte[] elf(int type) {
        ByteBuffer elf = ByteBuffer.allocate(64 + 56 + 24).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        elf.putShort(0x12, (short) 62)
                .putLong(0x20, 64)
                .putShort(0x36, (short) 56)
                .putShort(0x38, (short) 1);
        elf.putInt(64, 4).putLong(64 + 0x08, 120).putLong(64 + 0x20, 24);
        elf.putInt(120, 4).putInt(124, 8).putInt(128, type);
        elf.put(132, (byte) 'X').put(133, (byte) 'e').put(134, (byte) 'n');
        elf.putLong(136, 0x1000000L);
        return elf.array();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static byte[] xz(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new XZOutputStream(bytes, new LZMA2Options())) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}
