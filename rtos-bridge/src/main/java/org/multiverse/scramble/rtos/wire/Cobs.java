package org.multiverse.scramble.rtos.wire;

/**
 * Consistent Overhead Byte Stuffing (Cheshire and Baker, 1999): removes every 0x00 from a
 * block so that 0x00 can delimit frames on a byte stream (WIRE.md section 2).
 *
 * <p>The encoded form is a sequence of groups; each group starts with a code byte
 * {@code n} (1..255) followed by {@code n - 1} non-zero data bytes. A group with
 * {@code n < 255} stands for its data followed by one 0x00, except the last group,
 * whose implied zero is dropped; a group with {@code n == 255} has no implied zero.
 */
final class Cobs {

    private Cobs() {}

    /** The most bytes {@link #encode} writes for {@code length} input bytes. */
    static int maxEncodedLength(int length) {
        return length + length / 254 + 1;
    }

    /**
     * Encodes {@code in[0..length)} into {@code out} from index 0.
     *
     * @return the number of bytes written, at most {@link #maxEncodedLength(int)}
     */
    static int encode(byte[] in, int length, byte[] out) {
        int codeIndex = 0;
        int write = 1;
        int code = 1;
        for (int i = 0; i < length; i++) {
            byte b = in[i];
            if (b == 0) {
                out[codeIndex] = (byte) code;
                codeIndex = write++;
                code = 1;
            } else {
                out[write++] = b;
                code++;
                if (code == 0xFF) {
                    out[codeIndex] = (byte) code;
                    codeIndex = write++;
                    code = 1;
                }
            }
        }
        out[codeIndex] = (byte) code;
        return write;
    }

    /**
     * Decodes {@code in[0..length)} (no delimiter) into {@code out} from index 0.
     *
     * @return the number of bytes written, or -1 if the block is not valid COBS: empty,
     *     a zero byte inside it, or a code byte pointing past its end
     */
    static int decode(byte[] in, int length, byte[] out) {
        if (length == 0) {
            return -1;
        }
        int read = 0;
        int write = 0;
        while (read < length) {
            int code = in[read] & 0xFF;
            if (code == 0 || read + code > length) {
                return -1;
            }
            read++;
            for (int i = 1; i < code; i++) {
                byte b = in[read++];
                if (b == 0) {
                    return -1;
                }
                out[write++] = b;
            }
            if (code != 0xFF && read < length) {
                out[write++] = 0;
            }
        }
        return write;
    }
}
