package org.multiverse.scramble.host.guest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StaticElfTest {

    /** A minimal ELF64 header with program headers of the given types. */
    private static byte[] elf(int... types) {
        ByteBuffer b = ByteBuffer.allocate(64 + 56 * types.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putLong(0x20, 64).putShort(0x36, (short) 56).putShort(0x38, (short) types.length);
        for (int i = 0; i < types.length; i++) {
            b.putInt(64 + i * 56, types[i]);
        }
        return b.array();
    }

    @Test
    void tellsStaticFromDynamic() {
        assertTrue(StaticElf.isStatic(elf(1, 1, 4)));
        assertFalse(StaticElf.isStatic(elf(6, 3, 1))); // PT_INTERP: needs ld.so
    }

    @Test
    void refusesWhatIsNotAnElfItCanRead() {
        assertFalse(StaticElf.isStatic(new byte[0]));
        assertFalse(StaticElf.isStatic("#!/bin/sh\necho not elf\n".repeat(4).getBytes()));
        byte[] truncated = elf(1, 1);
        assertFalse(StaticElf.isStatic(java.util.Arrays.copyOf(truncated, 100)));
        byte[] noHeaders = elf();
        assertFalse(StaticElf.isStatic(noHeaders));
        byte[] thirtyTwoBit = elf(1);
        thirtyTwoBit[4] = 1;
        assertFalse(StaticElf.isStatic(thirtyTwoBit));
    }

    @Test
    void theJvmItselfIsDynamic() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertFalse(StaticElf.isStatic(Files.readAllBytes(java)));
    }
}
