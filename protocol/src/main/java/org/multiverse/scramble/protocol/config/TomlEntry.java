package org.multiverse.scramble.protocol.config;

/**
 * One {@code key = value} line of a TOML-subset file.
 *
 * @param table the {@code [table]} the line stands under, or {@code ""} above every table
 * @param key   the bare key
 * @param value a {@code String}, {@code Long}, {@code Boolean} or {@code List<String>}
 * @param line  1-based line number (0 for values that do not come from a file, e.g. overrides)
 */
public record TomlEntry(String table, String key, Object value, int line) {

    /** An entry above every table (all of a flat file's entries). */
    public TomlEntry(String key, Object value, int line) {
        this("", key, value, line);
    }

    /** The key as TOML names it: {@code table.key}, or the bare key above every table. */
    public String path() {
        return table.isEmpty() ? key : table + "." + key;
    }
}
