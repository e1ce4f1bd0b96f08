package org.multiverse.scramble.host.portal;

/**
 * One {@code key = value} line of a definition file.
 *
 * @param key   the bare key
 * @param value a {@code String}, {@code Long}, {@code Boolean} or {@code List<String>}
 * @param line  1-based line number (0 for values that come from overrides)
 */
record TomlEntry(String key, Object value, int line) {
}
