package org.multiverse.scramble.shell.render;

/**
 * ANSI styling of the shell's own output, or none: colour only on a terminal and never when
 * {@code NO_COLOR} is set. Agent-supplied text is stripped before it is styled, so the only
 * escape sequences on screen are these.
 */
public final class Style {

    private static final String RESET = "\u001b[0m";

    private final boolean on;

    public Style(boolean on) {
        this.on = on;
    }

    public static Style plain() {
        return new Style(false);
    }

    public boolean enabled() {
        return on;
    }

    public String bold(String s) {
        return wrap("1", s);
    }

    public String red(String s) {
        return wrap("31", s);
    }

    public String green(String s) {
        return wrap("32", s);
    }

    public String yellow(String s) {
        return wrap("33", s);
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    private String wrap(String code, String s) {
        return on ? "\u001b[" + code + "m" + s + RESET : s;
    }
}
