package org.multiverse.scramble.controller.net;

/**
 * A network namespace name as {@code ip netns} stores it under /run/netns: 1 to 64
 * characters from [a-zA-Z0-9_.-], not starting with '-' or '.', so it is a plain file name
 * and never read as an option.
 */
public record NamespaceName(String value) {
    /** Generous for "PREFIX" + "controller"; short enough to keep paths and logs readable. */
    public static final int MAX_LENGTH = 64;

    public NamespaceName {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("namespace name is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "namespace name is " + value.length() + " characters; at most " + MAX_LENGTH + " allowed");
        }
        if (!value.chars()
                .allMatch(c -> (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '_'
                        || c == '.'
                        || c == '-')) {
            throw new IllegalArgumentException(
                    "namespace name '" + Printable.of(value) + "' contains a forbidden character");
        }
        if (value.charAt(0) == '-' || value.charAt(0) == '.') {
            throw new IllegalArgumentException("namespace name '" + value + "' must not start with '-' or '.'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
