package org.multiverse.scramble.host.portal;

import java.util.Map;
import org.multiverse.scramble.protocol.config.TomlEntry;

/**
 * A template from the portal tree, e.g. {@code service/router/star}: the defaults a new
 * portal starts from.
 */
public final class PortalTemplate {

    private final String path;
    private final PortalDefinition defaults;
    private final Map<String, TomlEntry> entries;

    PortalTemplate(String path, PortalDefinition defaults, Map<String, TomlEntry> entries) {
        this.path = path;
        this.defaults = defaults;
        this.entries = Map.copyOf(entries);
    }

    /** The template's place in the portal tree. */
    public String path() {
        return path;
    }

    /** The template's values as a definition (its name is a placeholder). */
    public PortalDefinition defaults() {
        return defaults;
    }

    /** The raw entries, so overrides merge with exactly what the template file says. */
    Map<String, TomlEntry> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return path + " (" + defaults.type().tomlName() + ", " + defaults.cpus() + " vCPU, " + defaults.memoryMiB()
                + " MiB, network " + defaults.network().tomlName() + ")";
    }
}
