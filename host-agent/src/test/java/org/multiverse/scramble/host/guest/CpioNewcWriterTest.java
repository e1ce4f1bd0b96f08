package org.multiverse.scramble.host.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CpioNewcWriterTest {

    @Test
    void writesNewcHeadersNamesDataAndPadding() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CpioNewcWriter cpio = new CpioNewcWriter(bytes)) {
            cpio.file("init", 0755, "abcde".getBytes(StandardCharsets.US_ASCII));
        }
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        String first = "070701" + "00000001" + "000081ed" + "00000000" + "00000000" + "00000001"
                + "00000000" + "00000005" + "00000000" + "00000000" + "00000000" + "00000000"
                + "00000005" + "00000000" + "init\0" + "\0" // 110 + 5 = 115, padded to 116
                + "abcde" + "\0\0\0"; // 121, padded to 124
        String trailer = "070701" + "00000000" + "00000000" + "00000000" + "00000000" + "00000001"
                + "00000000" + "00000000" + "00000000" + "00000000" + "00000000" + "00000000"
                + "0000000b" + "00000000" + "TRAILER!!!\0" + "\0"; // 110 + 11 = 121 -> 124 (from 124)
        assertEquals(first + trailer, text.substring(0, first.length() + trailer.length() - 1) + "\0");
        assertEquals(0, bytes.size() % 4);
    }

    @Test
    void writesDevicesWithTheirNumbers() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CpioNewcWriter cpio = new CpioNewcWriter(bytes)) {
            cpio.characterDevice("dev/console", 0600, 5, 1);
        }
        String header = bytes.toString(StandardCharsets.ISO_8859_1).substring(0, 110);
        assertEquals("00002180", header.substring(14, 22)); // S_IFCHR | 0600
        assertEquals("00000005", header.substring(78, 86)); // rdevmajor
        assertEquals("00000001", header.substring(86, 94)); // rdevminor
    }

    @Test
    void writesSymbolicLinksWithTheirTargetAsData() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CpioNewcWriter cpio = new CpioNewcWriter(bytes)) {
            cpio.symlink("bin", "usr/bin");
            assertThrows(IllegalArgumentException.class, () -> cpio.symlink("empty", ""));
            assertThrows(IllegalArgumentException.class, () -> cpio.symlink("long", "x".repeat(4096)));
        }
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        assertEquals("0000a1ff", text.substring(14, 22)); // S_IFLNK | 0777
        assertEquals("00000007", text.substring(54, 62)); // filesize: the target, no NUL
        assertEquals("bin\0\0\0usr/bin\0", text.substring(110, 124)); // 110 + 4 -> 116, + 7 -> 124
    }

    @Test
    void refusesNamesTheKernelWouldMisplaceOrReject() throws IOException {
        try (CpioNewcWriter cpio = new CpioNewcWriter(new ByteArrayOutputStream())) {
            byte[] none = new byte[0];
            assertThrows(IllegalArgumentException.class, () -> cpio.file("/init", 0755, none));
            assertThrows(IllegalArgumentException.class, () -> cpio.file("../x", 0644, none));
            assertThrows(IllegalArgumentException.class, () -> cpio.file("a/../../x", 0644, none));
            assertThrows(IllegalArgumentException.class, () -> cpio.file("a\0b", 0644, none));
            assertThrows(IllegalArgumentException.class, () -> cpio.file("", 0644, none));
            assertThrows(IllegalArgumentException.class, () -> cpio.file("TRAILER!!!", 0644, none));
            assertThrows(IllegalArgumentException.class, () -> cpio.file("x".repeat(4096), 0644, none));
            cpio.file("twice", 0644, none);
            assertThrows(IllegalArgumentException.class, () -> cpio.file("twice", 0644, none));
            cpio.finish();
            assertThrows(IllegalStateException.class, () -> cpio.file("late", 0644, none));
        }
    }
}
