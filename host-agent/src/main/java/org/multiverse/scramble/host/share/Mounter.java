package org.multiverse.scramble.host.share;

import java.nio.file.Path;

/**
 * Bind mounts, the only kind of mount the share needs. {@link SystemMounter} does them with
 * mount(8); tests use a recording fake. Paths given are canonical and absolute.
 */
public interface Mounter {

    /**
     * Fails unless this process may bind-mount at all, before anything is created.
     *
     * @throws ShareException PERMISSION, saying which privilege is missing and how to get it
     */
    void checkPrivilege() throws ShareException;

    /**
     * Bind-mounts the folder {@code source} onto the existing empty folder {@code target};
     * read-only if asked. Either the mount is fully in place afterwards (read-only included) or
     * nothing is mounted.
     *
     * @throws ShareException PERMISSION without the privilege, INTERNAL if mounting failed
     */
    void bind(Path source, Path target, boolean readOnly) throws ShareException;

    /**
     * Removes the mount at {@code target}.
     *
     * @return how it went away (lazily if it was busy)
     * @throws ShareException if it could not be removed
     */
    UnmountOutcome unmount(Path target) throws ShareException;

    /**
     * Whether something is mounted exactly at {@code target}.
     *
     * @throws ShareException INTERNAL if the mount table cannot be read
     */
    boolean isMounted(Path target) throws ShareException;
}
