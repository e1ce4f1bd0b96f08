package org.multiverse.scramble.host.share;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One host folder linked into a portal's share.
 *
 * @param name the folder's name under the share root (a single safe path element); the guest
 *     sees it at {@code MOUNTPOINT/name}
 * @param hostPath the canonical host folder that is bind-mounted there
 * @param readOnly whether the bind mount is read-only
 */
public record ShareLink(String name, Path hostPath, boolean readOnly) {

    /** Checks that both parts are present and the host path is absolute. */
    public ShareLink {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hostPath, "hostPath");
        if (!hostPath.isAbsolute()) {
            throw new IllegalArgumentException("host path must be absolute: " + hostPath);
        }
    }
}
