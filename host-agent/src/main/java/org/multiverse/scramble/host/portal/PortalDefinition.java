package org.multiverse.scramble.host.portal;

import java.util.List;
import java.util.Objects;

/**
 * A validated portal definition, as read from {@code portal.toml}. Construct it only
 * through {@link DefinitionParser}, which checks every field; the record itself only
 * guards against nulls.
 *
 * @param name        domain-form name ({@link PortalName})
 * @param type        application, service or controller
 * @param template    the template path it was made from, or {@code null}
 * @param description free text for people (may be empty)
 * @param cpus        virtual CPUs
 * @param memoryMiB   fixed memory in MiB (current = maximum, no balloon)
 * @param image       base image reference under the agent's image directory, or {@code null}
 * @param kernel      kernel reference under the image directory (direct boot), or {@code null}
 * @param initrd      initrd reference under the image directory, or {@code null}
 * @param cmdline     kernel command line, or {@code null}
 * @param ephemeral   whether the disk overlay is recreated at every start
 * @param network     the network the NIC joins, or {@link Network#NONE}
 * @param mac         the NIC's MAC address, lower-case
 * @param channels    virtio-serial port names ({@code org.multiverse....})
 * @param share       whether the portal gets its 9p share
 * @param consoleLog  whether the serial console is written to {@code status.out}
 * @param serve       channels on which the host agent serves its own commands (agent channels;
 *                    controller portals only), each also in {@code channels}
 * @param routes      route name to channel: the host agent relays envelopes routed to that name
 *                    through the channel, to the agent inside the portal (controller portals only)
 * @param autostart   whether the host agent starts the portal when it starts
 * @param autostartOrder lower starts first among autostarted portals (ties by name)
 */
public record PortalDefinition(
        String name,
        PortalType type,
        String template,
        String description,
        int cpus,
        int memoryMiB,
        String image,
        String kernel,
        String initrd,
        String cmdline,
        boolean ephemeral,
        Network network,
        String mac,
        List<String> channels,
        boolean share,
        boolean consoleLog,
        List<String> serve,
        java.util.Map<String, String> routes,
        boolean autostart,
        int autostartOrder) {

    public PortalDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(mac, "mac");
        description = description == null ? "" : description;
        channels = List.copyOf(channels);
        serve = List.copyOf(serve);
        routes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(routes));
    }

    /** Whether the host agent has anything to do on this portal's channels while it runs. */
    public boolean hasAgentChannels() {
        return !serve.isEmpty() || !routes.isEmpty();
    }

    /** This definition written as a definition file. */
    public String toToml() {
        return DefinitionWriter.write(this);
    }
}
