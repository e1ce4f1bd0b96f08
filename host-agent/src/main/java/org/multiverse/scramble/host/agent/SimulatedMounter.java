package org.multiverse.scramble.host.agent;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.multiverse.scramble.host.share.Mounter;
import org.multiverse.scramble.host.share.ShareException;
import org.multiverse.scramble.host.share.UnmountOutcome;

/**
 * Bind mounts for the demo, which runs without root: remembered, not made. It insists on what
 * the kernel insists on (an existing folder, not a symlink, not mounted twice), so the demo's
 * share commands behave as they would on a host, only the guest (there is none) sees nothing.
 */
final class SimulatedMounter implements Mounter {

    private final Set<Path> mounted = ConcurrentHashMap.newKeySet();

    @Override
    public void checkPrivilege() {
        // the simulation needs no privilege
    }

    @Override
    public void bind(Path source, Path target, boolean readOnly) throws ShareException {
        if (!Files.isDirectory(source) || !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL,
                    "cannot bind " + source + " onto " + target + ": both must be folders");
        }
        if (!mounted.add(target)) {
            throw new ShareException(ShareException.Kind.INTERNAL, "something is already mounted at " + target);
        }
    }

    @Override
    public UnmountOutcome unmount(Path target) {
        return mounted.remove(target) ? UnmountOutcome.UNMOUNTED : UnmountOutcome.WAS_NOT_MOUNTED;
    }

    @Override
    public boolean isMounted(Path target) {
        return mounted.contains(target);
    }
}
