package org.multiverse.scramble.shell.parse;

/**
 * One word of a command line after quote removal.
 *
 * @param text  the word
 * @param start offset of its first character (or opening quote) in the line
 * @param end   offset just after its last character (or closing quote)
 */
public record Token(String text, int start, int end) {}
