package org.multiverse.scramble.shell.connect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * Reads {@code $XDG_CONFIG_HOME/scramble/shell.toml}, a strict subset of TOML:
 * <pre>
 *   [agents]
 *   host   = "unix:/run/multiverse/host.sock"
 *   router = "unix:/run/multiverse/router.sock"
 *   trust  = ["scr1...", "scr1..."]
 * </pre>
 * Comments with {@code #}, one key per line, basic strings without escapes. Anything else is an
 * error naming {@code FILE:LINE}: a configuration that is half understood is worse than none.
 */
public final class ShellToml {

    /** A configuration file is a few lines; more is not one. */
    static final int MAX_BYTES = 64 * 1024;

    private static final Pattern SECTION = Pattern.compile("\\[([a-z]+)\\]");
    private static final Pattern STRING_KEY = Pattern.compile("([a-z][a-z0-9_-]*)\\s*=\\s*\"([^\"\\\\]*)\"");
    private static final Pattern ARRAY_KEY = Pattern.compile("([a-z][a-z0-9_-]*)\\s*=\\s*\\[(.*)\\]");
    private static final Pattern ARRAY_ITEM = Pattern.compile("\\s*\"([^\"\\\\]*)\"\\s*");

    private ShellToml() {
    }

    /** Adds the file's agents (not overriding the command line's) and trusted IDs to {@code config}; no file, no change. */
    public static void readInto(Path file, AgentConfig config) throws ShellFailure {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw ShellFailure.usage("cannot read " + file + ": " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw ShellFailure.usage(file + ": larger than " + MAX_BYTES + " bytes, not a shell.toml");
        }
        parse(file.toString(), new String(bytes, StandardCharsets.UTF_8), config);
    }

    static void parse(String name, String text, AgentConfig config) throws ShellFailure {
        String section = "";
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = name + ":" + (i + 1) + ": ";
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = SECTION.matcher(line)).matches()) {
                section = m.group(1);
                if (!section.equals("agents")) {
                    throw ShellFailure.usage(where + "unknown section [" + section + "]; only [agents] exists");
                }
            } else if ((m = ARRAY_KEY.matcher(line)).matches()) {
                if (!m.group(1).equals("trust")) {
                    throw ShellFailure.usage(where + "only 'trust' takes a list");
                }
                for (String item : items(where, m.group(2))) {
                    try {
                        config.trust(ScrambleId.parse(item));
                    } catch (InvalidScrambleIdException e) {
                        throw ShellFailure.usage(where + "trust: " + e.getMessage());
                    }
                }
            } else if ((m = STRING_KEY.matcher(line)).matches()) {
                if (!section.equals("agents")) {
                    throw ShellFailure.usage(where + "'" + m.group(1) + "' must be under [agents]");
                }
                String key = m.group(1);
                AgentRole role = AgentRole.parseAgent(key).orElseThrow(() -> ShellFailure.usage(where
                        + "unknown agent '" + key + "'; expected host, router or rtos"));
                try {
                    config.put(role, TransportUri.parse(m.group(2)), false);
                } catch (IllegalArgumentException e) {
                    throw ShellFailure.usage(where + e.getMessage());
                }
            } else {
                throw ShellFailure.usage(where + "expected [agents], NAME = \"URI\" or trust = [\"ID\", ...]");
            }
        }
    }

    private static List<String> items(String where, String body) throws ShellFailure {
        List<String> out = new ArrayList<>();
        if (body.isBlank()) {
            return out;
        }
        for (String part : body.split(",", -1)) {
            Matcher m = ARRAY_ITEM.matcher(part);
            if (!m.matches()) {
                throw ShellFailure.usage(where + "trust: expected a list of quoted Scramble IDs");
            }
            out.add(m.group(1));
        }
        return out;
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
