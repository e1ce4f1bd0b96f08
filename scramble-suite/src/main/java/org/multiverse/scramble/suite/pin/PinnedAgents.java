package org.multiverse.scramble.suite.pin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.keyfile.PrivateFiles;

/**
 * The agents this shell has enrolled, like ssh's known_hosts: a text file of
 * {@code NAME SCRAMBLE-ID} lines; blank lines and lines starting with {@code #}
 * are comments and are kept when the file is rewritten.
 *
 * <p>The file is loaded once when opened; {@link #pin} rewrites it atomically
 * with mode 0600. A file that group or others may write is refused: whoever can
 * write it can redirect the shell to an impostor. Thread-safe.
 */
public final class PinnedAgents {

    /** Agent names: start with a letter or digit, then letters, digits, '.', '_', '-'; 64 at most. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** A pin file is a few lines per agent; 1 MiB is thousands of agents and bounds what we read. */
    static final int MAX_FILE_BYTES = 1 << 20;

    private final Path file;
    private final List<String> lines;
    private final Map<String, ScrambleId> pins;

    private PinnedAgents(Path file, List<String> lines, Map<String, ScrambleId> pins) {
        this.file = file;
        this.lines = lines;
        this.pins = pins;
    }

    /**
     * Loads {@code file}; a missing file is an empty store (created on the first pin).
     *
     * @throws PinFileException naming file:line for a malformed line, or the file's permissions
     */
    public static PinnedAgents open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] content;
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new PinFileException(file + ": group or others may write this file, so anyone could"
                        + " replace a pinned agent key. Run: chmod 600 " + file);
            }
            try (InputStream in = Files.newInputStream(file)) {
                content = in.readNBytes(MAX_FILE_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            return new PinnedAgents(file, new ArrayList<>(), new LinkedHashMap<>());
        }
        if (content.length > MAX_FILE_BYTES) {
            throw new PinFileException(file + ": larger than " + MAX_FILE_BYTES + " bytes, not a pin file");
        }
        String text = new String(content, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(text.lines().toList());
        Map<String, ScrambleId> pins = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            String[] fields = line.split("\\s+");
            if (fields.length != 2) {
                throw new PinFileException(where + "expected \"NAME SCRAMBLE-ID\", found " + fields.length
                        + " field" + (fields.length == 1 ? "" : "s"));
            }
            if (!NAME.matcher(fields[0]).matches()) {
                throw new PinFileException(where + "bad agent name \"" + fields[0] + "\"");
            }
            ScrambleId id;
            try {
                id = ScrambleId.parse(fields[1]);
            } catch (InvalidScrambleIdException e) {
                throw new PinFileException(where + "bad Scramble ID for " + fields[0] + ": " + e.getMessage());
            }
            if (pins.putIfAbsent(fields[0], id) != null) {
                throw new PinFileException(where + "agent \"" + fields[0] + "\" is pinned twice");
            }
        }
        return new PinnedAgents(file, lines, pins);
    }

    /** The ID pinned for {@code name}, if any. */
    public synchronized Optional<ScrambleId> lookup(String name) {
        return Optional.ofNullable(pins.get(name));
    }

    /** Every pin, in file order. */
    public synchronized Map<String, ScrambleId> all() {
        return Map.copyOf(pins);
    }

    /**
     * Pins (or re-pins, after the person checked a changed key) {@code name} to
     * {@code id}, and rewrites the file atomically with mode 0600.
     *
     * @throws IllegalArgumentException for a name outside {@link #NAME}
     */
    public synchronized void pin(String name, ScrambleId id) throws IOException {
        Objects.requireNonNull(id, "id");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad agent name \"" + name
                    + "\": letters, digits, '.', '_', '-', at most 64, starting with a letter or digit");
        }
        List<String> updated = new ArrayList<>(lines);
        String entry = name + " " + id.text();
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
        pins.put(name, id);
    }

    /**
     * Compares the key an agent presented with the pinned one.
     *
     * @return TRUSTED if it matches, NEW if nothing is pinned for {@code name}
     * @throws AgentKeyChangedException if a different key is pinned (the message shows both IDs)
     */
    public synchronized PinStatus check(String name, ScrambleId presented) throws AgentKeyChangedException {
        Objects.requireNonNull(presented, "presented");
        ScrambleId pinned = pins.get(name);
        if (pinned == null) {
            return PinStatus.NEW;
        }
        if (!pinned.equals(presented)) {
            throw new AgentKeyChangedException(name, pinned, presented, file.toString());
        }
        return PinStatus.TRUSTED;
    }

    /** The file this store reads and writes. */
    public Path file() {
        return file;
    }
}
