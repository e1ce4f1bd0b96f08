package org.multiverse.scramble.host.share;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where portals keep their state. The share service only needs each portal's state
 * directory (the share is its {@code share} sub-folder, the links file sits beside it) and
 * the list of portals to restore at start-up. The portal service can provide this directly;
 * {@link #under(Path)} is the plain folder layout.
 */
public interface PortalDirectories {

    /**
     * The state directory of {@code portal}, or empty if no such portal is defined.
     *
     * @throws ShareException INVALID_ARGUMENT if {@code portal} is not a valid portal name
     */
    Optional<Path> portalDir(String portal) throws ShareException;

    /**
     * Every portal that may have links to restore.
     *
     * @throws ShareException INTERNAL if the portals cannot be listed
     */
    List<String> portals() throws ShareException;

    /**
     * Portals as folders under {@code portalsDir}, named by Multiverse's portal tree: the
     * portal {@code application/browser/firefox} lives in
     * {@code portalsDir/application/browser/firefox}, and a domain-form name such as
     * {@code firefox.browser.app} (the portal service's form) in {@code portalsDir/firefox.browser.app}.
     * Names are 1 to 8 levels joined by {@code /}; each level is lower-case letters and digits
     * joined by single {@code .}, {@code _} or {@code -}, at most 63 characters.
     */
    static PortalDirectories under(Path portalsDir) {
        return new PortalTree(portalsDir);
    }
}
