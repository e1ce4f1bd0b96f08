package org.multiverse.scramble.host.portal;

import java.util.List;

/**
 * What {@code portal list} and {@code portal show} report.
 *
 * @param definition the portal's definition
 * @param state      its state, asked from the backend at the time of the call
 * @param pid        the VM process id, or -1 when none runs
 * @param warnings   things a person should know (diskless start, backend trouble)
 * @param lastExit   how the VM process last ended, or {@code null}
 */
public record PortalInfo(
        PortalDefinition definition, PortalState state, long pid, List<String> warnings, String lastExit) {

    public PortalInfo {
        warnings = List.copyOf(warnings);
    }

    /** The portal's name. */
    public String name() {
        return definition.name();
    }
}
