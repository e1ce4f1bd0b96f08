package org.multiverse.scramble.shell.connect;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.multiverse.scramble.protocol.config.TomlEntry;
import org.multiverse.scramble.protocol.config.TomlSubset;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * Reads {@code $XDG_CONFIG_HOME/scramble/shell.toml}:
 * <pre>
 *   [agents]
 *   host   = "unix:/run/multiverse/host.sock"
 *   router = "unix:/run/multiverse/router.sock"
 *   trust  = ["scr1...", "scr1..."]
 * </pre>
 * The syntax is the project's strict TOML subset ({@link TomlSubset}, with the one table
 * {@code [agents]}); on top of it every key must stand under {@code [agents]} and be an agent
 * name with a quoted URI, or {@code trust} with a list of Scramble IDs. Anything else is an error
 * naming {@code FILE:LINE}, and nothing of a refused file is used: a configuration that is half
 * understood is worse than none.
 */
public final class ShellToml {

    /** The one table of the file. */
    static final String AGENTS = "agents";
    /** The key under {@code [agents]} that lists IDs to pin without asking. */
    static final String TRUST = "trust";

    private ShellToml() {}

    /** Adds the file's agents (not overriding the command line's) and trusted IDs to {@code config}; no file, no change. */
    public static void readInto(Path file, AgentConfig config) throws ShellFailure {
        Map<String, TomlEntry> entries;
        try {
            entries = TomlSubset.read(file, Set.of(AGENTS), ShellToml::refused);
        } catch (NoSuchFileException e) {
            return;
        }
        apply(file.toString(), entries, config);
    }

    static void parse(String name, String text, AgentConfig config) throws ShellFailure {
        apply(name, TomlSubset.parse(name, text, Set.of(AGENTS), ShellToml::refused), config);
    }

    private static void apply(String name, Map<String, TomlEntry> entries, AgentConfig config) throws ShellFailure {
        Map<AgentRole, TransportUri> agents = new EnumMap<>(AgentRole.class);
        List<ScrambleId> trusted = new ArrayList<>();
        for (TomlEntry entry : entries.values()) {
            String where = name + ":" + entry.line() + ": ";
            String key = entry.key();
            if (!entry.table().equals(AGENTS)) {
                throw ShellFailure.usage(where + "'" + key + "' must be under [agents]");
            }
            if (key.equals(TRUST)) {
                trusted.addAll(trust(where, entry.value()));
                continue;
            }
            AgentRole role = AgentRole.parseAgent(key)
                    .orElseThrow(() ->
                            ShellFailure.usage(where + "unknown agent '" + key + "'; expected host, router or rtos"));
            if (entry.value() instanceof List) {
                throw ShellFailure.usage(where + "only 'trust' takes a list");
            }
            if (!(entry.value() instanceof String uri)) {
                throw ShellFailure.usage(where + "expected " + key + " = \"URI\"");
            }
            try {
                agents.put(role, TransportUri.parse(uri));
            } catch (IllegalArgumentException e) {
                throw ShellFailure.usage(where + e.getMessage());
            }
        }
        // Only a file understood whole changes the configuration.
        agents.forEach((role, uri) -> config.put(role, uri, false));
        trusted.forEach(config::trust);
    }

    private static List<ScrambleId> trust(String where, Object value) throws ShellFailure {
        if (!(value instanceof List<?> items)) {
            throw ShellFailure.usage(where + "trust: expected a list of quoted Scramble IDs");
        }
        List<ScrambleId> ids = new ArrayList<>();
        for (Object item : items) {
            try {
                ids.add(ScrambleId.parse((String) item));
            } catch (InvalidScrambleIdException e) {
                throw ShellFailure.usage(where + "trust: " + e.getMessage());
            }
        }
        return ids;
    }

    private static ShellFailure refused(String source, int line, String reason) {
        return ShellFailure.usage(line > 0 ? source + ":" + line + ": " + reason : source + ": " + reason);
    }
}
