package org.multiverse.scramble.controller.net;

/**
 * A Linux network interface name, validated the way the kernel does (IFNAMSIZ) and a bit
 * stricter so it is always safe as a separate argument to {@code ip}, {@code nft} and
 * {@code wg}: 1 to 15 characters from [a-zA-Z0-9_.-], not starting with '-' (it would read
 * as an option), and not "." or "..".
 */
public record InterfaceName(String value) {
    /** IFNAMSIZ is 16 bytes including the terminating NUL. */
    public static final int MAX_LENGTH = 15;

    public InterfaceName {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("interface name is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("interface name '" + Printable.of(value) + "' is " + value.length()
                    + " characters; Linux allows at most " + MAX_LENGTH);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '.'
                    || c == '-';
            if (!ok) {
                throw new IllegalArgumentException("interface name '" + Printable.of(value)
                        + "' contains a forbidden character at position " + (i + 1));
            }
        }
        if (value.charAt(0) == '-') {
            throw new IllegalArgumentException("interface name '" + value + "' must not start with '-'");
        }
        if (value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException("interface name '" + value + "' is reserved");
        }
    }

    public static InterfaceName of(String value) {
        return new InterfaceName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
