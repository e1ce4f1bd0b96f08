package org.multiverse.scramble.rtos.wire;

import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli) as WIRE.md section 2 defines it: polynomial 0x1EDC6F41 (reflected
 * 0x82F63B78), initial value 0xFFFFFFFF, input and output reflected, final XOR 0xFFFFFFFF;
 * check value over ASCII "123456789" is 0xE3069283. Many MCUs compute it in hardware.
 */
final class Crc32c {

    private Crc32c() {}

    static int of(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }
}
