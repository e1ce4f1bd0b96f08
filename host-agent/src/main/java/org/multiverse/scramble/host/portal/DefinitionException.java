package org.multiverse.scramble.host.portal;

/**
 * A definition file (or an override) is refused. The message is
 * {@code SOURCE:LINE: reason} (or {@code SOURCE: reason} when no line applies).
 */
public final class DefinitionException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String reason;

    /**
     * @param source file name (or "overrides")
     * @param line   1-based line, or 0 when the problem is not on one line
     * @param reason what is wrong, for a person
     */
    public DefinitionException(String source, int line, String reason) {
        super(line > 0 ? source + ":" + line + ": " + reason : source + ": " + reason);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    public String source() {
        return source;
    }

    /** The 1-based line, or 0. */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
