package org.multiverse.scramble.host.share;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mount points of this process's mount namespace, read from
 * {@code /proc/self/mountinfo} (see proc(5)): the fifth field of each line, with the kernel's
 * octal escapes ({@code \040} for a space, {@code \012} for a newline, {@code \134} for a
 * backslash) undone.
 */
final class MountTable {

    /** The kernel's own table; {@link #parse} is separate so it can be tested on hostile text. */
    static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** Far above any real table (thousands of mounts), far below an OOM. */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    /** proc(5): ten fields at least (the optional fields may add more before the "-"). */
    private static final int MIN_FIELDS = 10;

    private MountTable() {}

    /** Reads the mount points of the current namespace. */
    static List<String> read() throws ShareException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(MOUNTINFO);
        } catch (IOException e) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL, "cannot read " + MOUNTINFO + ": " + e.getMessage(), e);
        }
        return parse(bytes);
    }

    /**
     * The mount points listed in mountinfo text.
     *
     * @throws ShareException INTERNAL naming the line if the text is not mountinfo
     */
    static List<String> parse(byte[] mountinfo) throws ShareException {
        if (mountinfo.length > MAX_BYTES) {
            throw internal("mount table is " + mountinfo.length + " bytes, over the " + MAX_BYTES + " byte limit");
        }
        // ISO-8859-1 maps each byte to one char, so escapes can be undone byte-exactly and the
        // result decoded as UTF-8 afterwards.
        String text = new String(mountinfo, StandardCharsets.ISO_8859_1);
        List<String> mountPoints = new ArrayList<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split(" ", -1);
            if (fields.length < MIN_FIELDS) {
                throw internal("mount table line " + lineNumber + " has " + fields.length
                        + " fields; mountinfo lines have at least " + MIN_FIELDS);
            }
            if (fields[4].isEmpty() || fields[4].charAt(0) != '/') {
                throw internal(
                        "mount table line " + lineNumber + " has a mount point that is not an" + " absolute path");
            }
            mountPoints.add(unescape(fields[4], lineNumber));
        }
        return mountPoints;
    }

    private static String unescape(String field, int lineNumber) throws ShareException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                bytes.write(c);
                continue;
            }
            if (i + 3 >= field.length()) {
                throw internal("mount table line " + lineNumber + " ends inside an escape");
            }
            int value = 0;
            for (int k = 1; k <= 3; k++) {
                char d = field.charAt(i + k);
                if (d < '0' || d > '7') {
                    throw internal("mount table line " + lineNumber + " has a malformed escape \\"
                            + field.substring(i + 1, i + 4).replaceAll("[^ -~]", "?"));
                }
                value = value * 8 + (d - '0');
            }
            if (value > 0xFF) {
                throw internal("mount table line " + lineNumber + " has an out-of-range escape");
            }
            bytes.write(value);
            i += 3;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static ShareException internal(String message) {
        return new ShareException(ShareException.Kind.INTERNAL, message);
    }
}
