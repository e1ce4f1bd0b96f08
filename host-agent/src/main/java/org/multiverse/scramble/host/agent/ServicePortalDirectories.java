package org.multiverse.scramble.host.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.multiverse.scramble.host.portal.PortalException;
import org.multiverse.scramble.host.portal.PortalInfo;
import org.multiverse.scramble.host.portal.PortalService;
import org.multiverse.scramble.host.share.PortalDirectories;
import org.multiverse.scramble.host.share.ShareException;

/**
 * The share service's view of the portals, answered by the portal service: only defined
 * portals have shares, and a name is judged by the portal service's rules.
 */
final class ServicePortalDirectories implements PortalDirectories {

    private final PortalService portals;

    ServicePortalDirectories(PortalService portals) {
        this.portals = portals;
    }

    @Override
    public Optional<Path> portalDir(String portal) throws ShareException {
        try {
            return Optional.of(portals.portalDir(portal));
        } catch (PortalException e) {
            if (e.kind() == PortalException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw new ShareException(ShareException.Kind.INVALID_ARGUMENT, e.getMessage(), e);
        }
    }

    @Override
    public List<String> portals() {
        return portals.list().stream().map(PortalInfo::name).toList();
    }
}
