package org.multiverse.scramble.suite.pin;

import java.util.List;

/**
 * What one kind of pin file holds after each name: how those fields are read and written, and
 * the words its messages use. {@link PinFile} does the rest (and the strictness) for every kind.
 *
 * @param <V> the pinned value (a Scramble ID, a node's id and key)
 */
public interface PinFormat<V> {

    /** What is pinned, for messages: {@code "agent"}, {@code "node"}. */
    String noun();

    /** What the fields after the name are, for messages: {@code "Scramble ID"}. */
    String valueName();

    /** The names of the fields after the name, for the expected-line message: {@code ["SCRAMBLE-ID"]}. */
    List<String> fieldNames();

    /**
     * Reads the fields after the name of one line; there are exactly as many as
     * {@link #fieldNames()}.
     *
     * @throws IllegalArgumentException saying what is wrong with them
     */
    V parse(List<String> fields);

    /** The fields after the name that {@link #parse} reads back as {@code value}; none holds white space. */
    List<String> fields(V value);

    /** Comment lines (each starting with {@code #}) that head a file this store creates; none by default. */
    default List<String> header() {
        return List.of();
    }
}
