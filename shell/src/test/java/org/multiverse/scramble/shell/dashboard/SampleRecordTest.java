package org.multiverse.scramble.shell.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records of a {@code samples} attribute, and what a bridge could send instead. */
class SampleRecordTest {

    private static byte[] record(int seq, long time, int last, int fill) {
        ByteBuffer b = ByteBuffer.allocate(33).putInt(seq).putLong(time).put((byte) last);
        for (int i = 0; i < 20; i++) {
            b.put((byte) (fill + i));
        }
        return b.array();
    }

    private static String b64(byte[]... records) {
        ByteBuffer b = ByteBuffer.allocate(records.length * 33);
        for (byte[] r : records) {
            b.put(r);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static String error(String base64, String count) {
        return assertThrows(IllegalArgumentException.class, () -> SampleRecord.decode(base64, count))
                .getMessage();
    }

    @Test
    void decodesEachRecordsHeaderAndSealedBytes() {
        List<SampleRecord> r =
                SampleRecord.decode(b64(record(-1, 0x0102030405060708L, 0, 9), record(5, 77, 1, 40)), "2");
        assertEquals(2, r.size());
        assertEquals(-1, r.get(0).sequence(), "a u32 above 2^31 stays its bits");
        assertEquals(0x0102030405060708L, r.get(0).nodeTimeMicros());
        assertFalse(r.get(0).last());
        assertEquals(9, r.get(0).sealed()[0]);
        assertEquals(28, r.get(0).sealed()[19]);
        assertTrue(r.get(1).last());
        assertEquals(40, r.get(1).sealed()[0]);
    }

    @Test
    void theAssociatedDataIsStreamIdThenTheClearHeader() {
        SampleRecord r = SampleRecord.decode(b64(record(0x0A0B0C0D, 0x1122334455667788L, 1, 0)), "1")
                .get(0);
        assertArrayEquals(
                new byte[] {0, 0, 0, 7, 0x0A, 0x0B, 0x0C, 0x0D, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88, 1
                },
                r.aad(7));
    }

    @Test
    void theValueIsALittleEndianFloat() {
        assertEquals(1.5, SampleRecord.value(new byte[] {0, 0, (byte) 0xC0, 0x3F}));
        assertEquals(
                "a sample plaintext is 4 bytes, not 5",
                assertThrows(IllegalArgumentException.class, () -> SampleRecord.value(new byte[5]))
                        .getMessage());
    }

    @Test
    void malformedAttributesAreRefusedByName() {
        String one = b64(record(0, 0, 0, 0));
        assertEquals("samples: not base64", error("@@@@", "1"));
        assertEquals("samples: count is not a number", error(one, ""));
        assertEquals("samples: count is not a number", error(one, "1e3"));
        assertEquals("samples: count 2 but 1 records", error(one, "2"));
        assertEquals("samples: 0 bytes is not whole 33-byte records", error("", "0"));
        assertEquals(
                "samples: 32 bytes is not whole 33-byte records",
                error(Base64.getEncoder().encodeToString(new byte[32]), "1"));
        assertEquals("samples: record 1 has last byte 2", error(b64(record(0, 0, 1, 0), record(1, 0, 2, 0)), "2"));
        assertEquals("samples: record 0 has last byte 255", error(b64(record(0, 0, 0xff, 0)), "1"));
    }

    @Test
    void anOversizedAttributeIsRefusedBeforeItIsDecoded() {
        byte[][] many = new byte[SampleRecord.MAX_RECORDS][];
        for (int i = 0; i < many.length; i++) {
            many[i] = record(i, i, 0, 0);
        }
        assertEquals(
                SampleRecord.MAX_RECORDS,
                SampleRecord.decode(b64(many), Integer.toString(SampleRecord.MAX_RECORDS))
                        .size());
        byte[][] tooMany = java.util.Arrays.copyOf(many, many.length + 1);
        tooMany[many.length] = record(0, 0, 0, 0);
        assertEquals("samples: more than 1000 records", error(b64(tooMany), "1001"));
        assertEquals("samples: more than 1000 records", error("A".repeat(10_000_000), "1"));
    }
}
