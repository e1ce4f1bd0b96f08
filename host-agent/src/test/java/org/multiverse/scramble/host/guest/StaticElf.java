package org.multiverse.scramble.host.guest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether an executable is a statically linked 64-bit little-endian ELF: the initramfs has no
 * dynamic loader or libraries, so the busybox copied into it must need none (no
 * {@code PT_INTERP} program header).
 */
public final class StaticElf {

    private static final int PT_INTERP = 3;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private StaticElf() {}

    public static boolean isStatic(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MAX_HEADER_BYTES);
        }
        return isStatic(head);
    }

    public static boolean isStatic(byte[] head) {
        if (head.length < 64
                || head[0] != 0x7f
                || head[1] != 'E'
                || head[2] != 'L'
                || head[3] != 'F'
                || head[4] != 2
                || head[5] != 1) {
            return false;
        }
        ByteBuffer elf = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = elf.getLong(0x20);
        int phentsize = Short.toUnsignedInt(elf.getShort(0x36));
        int phnum = Short.toUnsignedInt(elf.getShort(0x38));
        if (phnum == 0 || phentsize < 4 || phoff < 64 || phoff + (long) phentsize * phnum > head.length) {
            return false;
        }
        for (int i = 0; i < phnum; i++) {
            if (elf.getInt((int) phoff + i * phentsize) == PT_INTERP) {
                return false;
            }
        }
        return true;
    }
}
