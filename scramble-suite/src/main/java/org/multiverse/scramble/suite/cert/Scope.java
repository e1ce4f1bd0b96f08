package org.multiverse.scramble.suite.cert;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a session key may do. Written into the certificate as a one-byte code. */
public enum Scope {
    /** Every command the person's policy allows. */
    ALL("all", 1),
    /** Only commands that change nothing (list, status, show). */
    READ_ONLY("read-only", 2);

    private final String text;
    private final byte code;

    Scope(String text, int code) {
        this.text = text;
        this.code = (byte) code;
    }

    /** The text form, e.g. {@code read-only}. */
    public String text() {
        return text;
    }

    byte code() {
        return code;
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Scope parse(String text) {
        for (Scope s : values()) {
            if (s.text.equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scope \"" + text + "\": expected one of "
                + Arrays.stream(values()).map(Scope::text).collect(Collectors.joining(", ")));
    }

    /** The scope of a certificate code, or null if the code is unknown. */
    static Scope fromCode(byte code) {
        for (Scope s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
