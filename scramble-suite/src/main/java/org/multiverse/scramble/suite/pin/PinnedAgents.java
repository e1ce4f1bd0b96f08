package org.multiverse.scramble.suite.pin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * The agents a shell has enrolled: a {@link PinFile} of {@code NAME SCRAMBLE-ID} lines
 * ({@code known_agents}).
 */
public final class PinnedAgents implements PinFormat<ScrambleId> {

    /** The one format: stateless. */
    public static final PinnedAgents FORMAT = new PinnedAgents();

    private PinnedAgents() {}

    /**
     * Loads the agents pinned in {@code file}; a missing file is an empty store.
     *
     * @throws PinFileException naming file:line for a malformed line, or the file's permissions
     */
    public static PinFile<ScrambleId> open(Path file) throws IOException {
        return PinFile.open(file, FORMAT);
    }

    @Override
    public String noun() {
        return "agent";
    }

    @Override
    public String valueName() {
        return "Scramble ID";
    }

    @Override
    public List<String> fieldNames() {
        return List.of("SCRAMBLE-ID");
    }

    @Override
    public ScrambleId parse(List<String> fields) {
        try {
            return ScrambleId.parse(fields.get(0));
        } catch (InvalidScrambleIdException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public List<String> fields(ScrambleId value) {
        return List.of(value.text());
    }
}
