package org.multiverse.scramble.host.share;

/**
 * Reads the effective capability set from the text of {@code /proc/self/status} (the
 * {@code CapEff:} line, 64 bits in hex, see proc(5)). Bind mounts need {@code CAP_SYS_ADMIN};
 * asking the kernel beforehand lets the agent refuse with the reason instead of relaying
 * mount(8)'s less precise complaint after a mount point was already created.
 */
final class Capabilities {

    /** From {@code linux/capability.h}. */
    static final int CAP_SYS_ADMIN = 21;

    private static final String EFFECTIVE = "CapEff:";

    /** 64 capability bits. */
    private static final int MAX_HEX_DIGITS = 16;

    private Capabilities() {}

    /**
     * Whether the status text grants {@code capability} in the effective set.
     *
     * @throws ShareException INTERNAL if the text has no well-formed {@code CapEff:} line
     */
    static boolean hasEffective(String procStatus, int capability) throws ShareException {
        for (String line : procStatus.split("\n")) {
            if (!line.startsWith(EFFECTIVE)) {
                continue;
            }
            String hex = line.substring(EFFECTIVE.length()).strip();
            if (hex.isEmpty() || hex.length() > MAX_HEX_DIGITS || !hex.matches("[0-9a-fA-F]+")) {
                throw new ShareException(
                        ShareException.Kind.INTERNAL, "cannot read this process's capabilities: malformed CapEff line");
            }
            long bits = Long.parseUnsignedLong(hex, 16);
            return (bits & (1L << capability)) != 0;
        }
        throw new ShareException(
                ShareException.Kind.INTERNAL,
                "cannot read this process's capabilities: no CapEff line in the process status");
    }
}
