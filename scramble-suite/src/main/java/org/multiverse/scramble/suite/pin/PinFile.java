package org.multiverse.scramble.suite.pin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.multiverse.scramble.suite.keyfile.PrivateFiles;

/**
 * Pinned keys by name, like ssh's known_hosts: a text file of {@code NAME FIELD...} lines (the
 * fields are the {@link PinFormat}'s); blank lines and lines starting with {@code #} are
 * comments and are kept when the file is rewritten. The one store for every kind of pin (the
 * shell's agents, the RTOS bridge's nodes), and strict for all of them:
 *
 * <ul>
 *   <li>a file that group or others may write is refused: whoever can write it can redirect the
 *       reader to an impostor (reading is harmless: it holds public keys only);
 *   <li>a malformed line, a bad name or value, or a name pinned twice is refused with
 *       {@code file:line}, never skipped;
 *   <li>the file is read up to {@link #MAX_FILE_BYTES};
 *   <li>{@link #pin} rewrites it atomically with mode 0600;
 *   <li>a changed key is a {@link PinnedKeyChangedException}, never a status.
 * </ul>
 *
 * <p>The file is loaded once when opened. Thread-safe.
 *
 * @param <V> the pinned value
 */
public final class PinFile<V> {

    /** Names: start with a letter or digit, then letters, digits, '.', '_', '-'; 64 at most. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** A pin file is a line per peer; 1 MiB is thousands of them and bounds what we read. */
    public static final int MAX_FILE_BYTES = 1 << 20;

    private final Path file;
    private final PinFormat<V> format;
    private final List<String> lines;
    private final Map<String, V> pins;

    private PinFile(Path file, PinFormat<V> format, List<String> lines, Map<String, V> pins) {
        this.file = file;
        this.format = format;
        this.lines = lines;
        this.pins = pins;
    }

    /**
     * Loads {@code file}; a missing file is an empty store (created on the first pin).
     *
     * @throws PinFileException naming file:line for a malformed line, or the file's permissions
     */
    public static <V> PinFile<V> open(Path file, PinFormat<V> format) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        byte[] content;
        try {
            if (PrivateFiles.writableByOthers(file)) {
                throw new PinFileException(file + ": group or others may write this file, so anyone could"
                        + " replace a pinned " + format.noun() + " key. Run: chmod 600 " + file);
            }
            try (InputStream in = Files.newInputStream(file)) {
                content = in.readNBytes(MAX_FILE_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            return new PinFile<>(file, format, new ArrayList<>(), new LinkedHashMap<>());
        }
        if (content.length > MAX_FILE_BYTES) {
            throw new PinFileException(file + ": larger than " + MAX_FILE_BYTES + " bytes, not a pin file");
        }
        List<String> lines = new ArrayList<>(
                new String(content, StandardCharsets.UTF_8).lines().toList());
        Map<String, V> pins = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            String[] fields = line.split("\\s+");
            int expected = 1 + format.fieldNames().size();
            if (fields.length != expected) {
                throw new PinFileException(where + "expected \"NAME " + String.join(" ", format.fieldNames())
                        + "\", found " + fields.length + " field" + (fields.length == 1 ? "" : "s"));
            }
            String name = fields[0];
            if (!NAME.matcher(name).matches()) {
                throw new PinFileException(where + "bad " + format.noun() + " name \"" + name + "\"");
            }
            V value;
            try {
                value = format.parse(List.of(fields).subList(1, fields.length));
            } catch (IllegalArgumentException e) {
                throw new PinFileException(
                        where + "bad " + format.valueName() + " for " + name + ": " + e.getMessage());
            }
            if (pins.putIfAbsent(name, value) != null) {
                throw new PinFileException(where + format.noun() + " \"" + name + "\" is pinned twice");
            }
        }
        return new PinFile<>(file, format, lines, pins);
    }

    /** The value pinned for {@code name}, if any. */
    public synchronized Optional<V> lookup(String name) {
        return Optional.ofNullable(pins.get(name));
    }

    /** Every pin. */
    public synchronized Map<String, V> all() {
        return Map.copyOf(pins);
    }

    /**
     * Pins (or re-pins, after the person checked a changed key) {@code name} to {@code value},
     * and rewrites the file atomically with mode 0600.
     *
     * @throws IllegalArgumentException for a name outside {@link #NAME}
     */
    public synchronized void pin(String name, V value) throws IOException {
        Objects.requireNonNull(value, "value");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad " + format.noun() + " name \"" + name
                    + "\": letters, digits, '.', '_', '-', at most 64, starting with a letter or digit");
        }
        List<String> updated = new ArrayList<>(lines.isEmpty() ? format.header() : lines);
        String entry = name + " " + String.join(" ", format.fields(value));
        boolean replaced = false;
        for (int i = 0; i < updated.size(); i++) {
            String[] fields = updated.get(i).strip().split("\\s+");
            if (!fields[0].startsWith("#") && fields[0].equals(name)) {
                updated.set(i, entry);
                replaced = true;
            }
        }
        if (!replaced) {
            updated.add(entry);
        }
        StringBuilder out = new StringBuilder();
        for (String line : updated) {
            out.append(line).append('\n');
        }
        PrivateFiles.writeAtomically(file, out.toString().getBytes(StandardCharsets.UTF_8));
        lines.clear();
        lines.addAll(updated);
        pins.put(name, value);
    }

    /**
     * Compares the value a peer presented with the pinned one.
     *
     * @return TRUSTED if it matches, NEW if nothing is pinned for {@code name}
     * @throws PinnedKeyChangedException if a different value is pinned (the message shows both)
     */
    public synchronized PinStatus check(String name, V presented) throws PinnedKeyChangedException {
        Objects.requireNonNull(presented, "presented");
        V pinned = pins.get(name);
        if (pinned == null) {
            return PinStatus.NEW;
        }
        if (!pinned.equals(presented)) {
            throw new PinnedKeyChangedException(
                    format.noun(),
                    name,
                    String.join(" ", format.fields(pinned)),
                    String.join(" ", format.fields(presented)),
                    file.toString());
        }
        return PinStatus.TRUSTED;
    }

    /** The file this store reads and writes. */
    public Path file() {
        return file;
    }
}
