package org.multiverse.scramble.host.share;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link Mounter} that records what it was asked and keeps its own mount table. It insists
 * on what the kernel insists on (the target is an existing folder, not a symlink), so a
 * service bug that mounts onto the wrong thing fails here too.
 */
final class RecordingMounter implements Mounter {

    final List<String> calls = new ArrayList<>();
    final Set<Path> mounted = new HashSet<>();
    boolean privileged = true;
    boolean busy;
    ShareException nextBindFailure;

    @Override
    public void checkPrivilege() throws ShareException {
        if (!privileged) {
            throw new ShareException(ShareException.Kind.PERMISSION, SystemMounter.NEEDS_CAP_SYS_ADMIN);
        }
    }

    @Override
    public void bind(Path source, Path target, boolean readOnly) throws ShareException {
        checkPrivilege();
        calls.add("bind " + source + " " + target + (readOnly ? " ro" : " rw"));
        if (nextBindFailure != null) {
            ShareException failure = nextBindFailure;
            nextBindFailure = null;
            throw failure;
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ShareException(ShareException.Kind.INTERNAL, "fake: no folder at " + target);
        }
        if (!mounted.add(target)) {
            throw new ShareException(ShareException.Kind.INTERNAL, "fake: mounted twice at " + target);
        }
    }

    @Override
    public UnmountOutcome unmount(Path target) throws ShareException {
        calls.add("unmount " + target);
        if (!mounted.remove(target)) {
            return UnmountOutcome.WAS_NOT_MOUNTED;
        }
        return busy ? UnmountOutcome.DETACHED_LAZILY : UnmountOutcome.UNMOUNTED;
    }

    @Override
    public boolean isMounted(Path target) {
        return mounted.contains(target);
    }

    /** The bind calls only. */
    List<String> binds() {
        return calls.stream().filter(c -> c.startsWith("bind ")).toList();
    }
}
