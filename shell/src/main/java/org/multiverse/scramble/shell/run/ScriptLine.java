package org.multiverse.scramble.shell.run;

/**
 * One command of a script, with where it came from for error messages ({@code FILE:LINE}).
 *
 * @param origin the file name, {@code -c}, {@code stdin} or {@code shell}
 * @param line   1-based line number (of the first line, for a continued line); for {@code -c}, the command's position
 * @param text   the command, without comment, continuation backslashes or {@code ;}
 */
public record ScriptLine(String origin, int line, String text) {

    /** {@code FILE:LINE}. */
    public String where() {
        return origin + ":" + line;
    }
}
