package org.multiverse.scramble.shell;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the shell keeps its files, following the XDG base directory specification:
 * configuration (key file, pinned agents, {@code shell.toml}) under {@code $XDG_CONFIG_HOME/scramble}
 * (default {@code ~/.config/scramble}), history under {@code $XDG_STATE_HOME/scramble}
 * (default {@code ~/.local/state/scramble}).
 */
public final class ShellPaths {

    private final Path config;
    private final Path state;

    private ShellPaths(Path config, Path state) {
        this.config = config;
        this.state = state;
    }

    /** Resolves the directories from environment variables; relative XDG values are ignored, as the spec says. */
    public static ShellPaths from(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        return new ShellPaths(
                base(env.get("XDG_CONFIG_HOME"), home.resolve(".config")).resolve("scramble"),
                base(env.get("XDG_STATE_HOME"), home.resolve(".local/state")).resolve("scramble"));
    }

    private static Path base(String value, Path fallback) {
        if (value == null || value.isEmpty() || !Path.of(value).isAbsolute()) {
            return fallback;
        }
        return Path.of(value);
    }

    public Path configDir() {
        return config;
    }

    /** The default encrypted key file. */
    public Path keyFile() {
        return config.resolve("identity.key");
    }

    /** The pinned agent IDs (known_hosts style). */
    public Path knownAgents() {
        return config.resolve("known_agents");
    }

    /** The optional configuration file with {@code [agents]}. */
    public Path shellToml() {
        return config.resolve("shell.toml");
    }

    /** Interactive command history (mode 0600). */
    public Path history() {
        return state.resolve("history");
    }
}
