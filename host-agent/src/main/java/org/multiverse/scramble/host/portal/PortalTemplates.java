package org.multiverse.scramble.host.portal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.multiverse.scramble.protocol.config.TomlEntry;

/**
 * The template tree: {@code templates/INDEX} lists every template path, and
 * {@code templates/PATH/portal.toml} holds each one. Loaded from a folder (an operator's
 * edited tree) or from the class path (the copy packaged in the jar, for the demo).
 */
public final class PortalTemplates {

    /** Name of the list of template paths at the root of the tree. */
    public static final String INDEX = "INDEX";
    /** File name of a template inside its folder. */
    public static final String FILE = "portal.toml";
    /** Where the jar holds the tree. */
    static final String RESOURCE_ROOT = "templates/";

    private static final Pattern PATH = Pattern.compile("[a-z0-9-]+(/[a-z0-9-]+)*");

    private final Map<String, PortalTemplate> byPath;

    private PortalTemplates(Map<String, PortalTemplate> byPath) {
        this.byPath = Collections.unmodifiableMap(byPath);
    }

    /** Loads the tree packaged with the agent. */
    public static PortalTemplates fromClasspath() throws DefinitionException {
        return load(relative -> {
            try (InputStream in =
                    PortalTemplates.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + relative)) {
                if (in == null) {
                    throw new IOException("no resource " + RESOURCE_ROOT + relative);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        });
    }

    /** Loads a tree from a folder. */
    public static PortalTemplates fromDirectory(Path root) throws DefinitionException {
        return load(relative -> Files.readString(root.resolve(relative), StandardCharsets.UTF_8));
    }

    private interface Reader {
        String read(String relative) throws IOException;
    }

    private static PortalTemplates load(Reader reader) throws DefinitionException {
        String index;
        try {
            index = reader.read(INDEX);
        } catch (IOException e) {
            throw new DefinitionException(INDEX, 0, "template index is missing: " + e.getMessage());
        }
        Map<String, PortalTemplate> byPath = new LinkedHashMap<>();
        String[] lines = index.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String path = lines[i].strip();
            if (path.isEmpty() || path.startsWith("#")) {
                continue;
            }
            if (!PATH.matcher(path).matches()) {
                throw new DefinitionException(INDEX, i + 1, "not a template path: " + Printable.quote(path));
            }
            String file = path + "/" + FILE;
            String text;
            try {
                text = reader.read(file);
            } catch (IOException e) {
                throw new DefinitionException(
                        INDEX, i + 1, "template " + path + " is listed but " + file + " is missing");
            }
            Map<String, TomlEntry> entries = DefinitionParser.parseTemplate(file, text);
            PortalDefinition defaults = DefinitionParser.fromTemplate(path, entries, "template.defaults", Map.of());
            PortalTemplate template = new PortalTemplate(path, defaults, entries);
            if (byPath.put(path, template) != null) {
                throw new DefinitionException(INDEX, i + 1, "template " + path + " is listed twice");
            }
        }
        return new PortalTemplates(byPath);
    }

    /** Every template, in index order. */
    public List<PortalTemplate> all() {
        return new ArrayList<>(byPath.values());
    }

    /**
     * One template.
     *
     * @throws PortalException NOT_FOUND
     */
    public PortalTemplate get(String path) throws PortalException {
        PortalTemplate t = path == null ? null : byPath.get(path);
        if (t == null) {
            throw new PortalException(
                    PortalException.Kind.NOT_FOUND,
                    "no template " + Printable.quote(path) + " (see 'portal templates')");
        }
        return t;
    }
}
