package org.multiverse.scramble.host.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The two base image formats portals use, told apart by the qcow2 magic. */
public enum ImageFormat {
    QCOW2,
    RAW;

    /** qcow2 files start with "QFI" 0xfb. */
    private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};

    /** Reads the first four bytes of an image; anything not qcow2 is raw. */
    public static ImageFormat detect(Path image) throws IOException {
        try (InputStream in = Files.newInputStream(image)) {
            byte[] head = in.readNBytes(QCOW2_MAGIC.length);
            return Arrays.equals(head, QCOW2_MAGIC) ? QCOW2 : RAW;
        }
    }

    /** The name {@code qemu-img -F} takes. */
    public String qemuName() {
        return name().toLowerCase();
    }
}
