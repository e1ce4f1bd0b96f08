package org.multiverse.scramble.host.portal;

import static org.multiverse.scramble.host.portal.PortalFiles.DEFINITION_FILE;
import static org.multiverse.scramble.host.portal.PortalFiles.QMP_SOCKET;
import static org.multiverse.scramble.host.portal.PortalFiles.SHARE_DIR;
import static org.multiverse.scramble.host.portal.PortalFiles.SNAPSHOT_DIR;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.multiverse.scramble.host.hypervisor.DurableFiles;

/**
 * The defined portals: their definitions and directories, by name, and the limits on
 * defining them (how many, one carrier per route name, socket paths a unix socket can hold).
 *
 * <p>Its monitor guards the name map and is held only for map operations: a definition's
 * files are written and deleted outside it, under a <em>claim</em> on the name, so
 * {@code list()} never waits for an fsync. A claimed name is taken (a second define of it is
 * refused) and counts toward the portal limit, but is not listed and cannot be looked up. The
 * monitor is a leaf lock: nothing else is taken while it is held.
 */
final class PortalRegistry {

    /** sun_path holds 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    private static final System.Logger LOG = System.getLogger(PortalRegistry.class.getName());

    private final Path portalsDir;
    private final int maxPortals;
    /** The defined portals; guarded by {@code this}. */
    private final Map<String, PortalRuntime> portals = new HashMap<>();
    /** Names whose files are being written (define) or deleted (undefine); guarded by {@code this}. */
    private final Map<String, PortalDefinition> claimed = new HashMap<>();

    PortalRegistry(Path portalsDir, int maxPortals) {
        this.portalsDir = portalsDir;
        this.maxPortals = maxPortals;
    }

    /**
     * Creates the portals folder and loads every stored definition (a folder that is not a
     * portal's is logged and left alone).
     *
     * @return the portals loaded, for adoption
     * @throws PortalException INTERNAL when the folder cannot be created or read
     */
    List<PortalRuntime> load() throws PortalException {
        try {
            Files.createDirectories(portalsDir);
        } catch (IOException e) {
            throw new PortalException(
                    PortalException.Kind.INTERNAL, "cannot create " + portalsDir + ": " + e.getMessage(), e);
        }
        List<PortalRuntime> loaded = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(portalsDir)) {
            for (Path dir : dirs) {
                PortalRuntime rt = loadOne(dir);
                if (rt != null) {
                    loaded.add(rt);
                }
            }
        } catch (IOException e) {
            throw new PortalException(
                    PortalException.Kind.INTERNAL, "cannot read " + portalsDir + ": " + e.getMessage(), e);
        }
        synchronized (this) {
            loaded.forEach(rt -> portals.put(rt.definition.name(), rt));
        }
        return loaded;
    }

    private static PortalRuntime loadOne(Path dir) {
        String name = dir.getFileName().toString();
        Path file = dir.resolve(DEFINITION_FILE);
        if (PortalName.problem(name) != null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            LOG.log(Level.WARNING, "ignoring {0}: not a portal directory", dir);
            return null;
        }
        PortalDefinition d;
        try {
            d = DefinitionParser.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (DefinitionException | IOException e) {
            LOG.log(Level.WARNING, "ignoring portal {0}: {1}", name, e.getMessage());
            return null;
        }
        if (!d.name().equals(name)) {
            LOG.log(Level.WARNING, "ignoring {0}: its definition names {1}", dir, d.name());
            return null;
        }
        return new PortalRuntime(d, dir);
    }

    /** The portal by that name. @throws PortalException INVALID_ARGUMENT (name), NOT_FOUND */
    PortalRuntime get(String name) throws PortalException {
        PortalName.validate(name);
        PortalRuntime rt;
        synchronized (this) {
            rt = portals.get(name);
        }
        if (rt == null) {
            throw new PortalException(PortalException.Kind.NOT_FOUND, "no portal named " + name);
        }
        return rt;
    }

    /**
     * The portal by that name with its lifecycle lock held by the caller, who must unlock it.
     * Waits for an operation in flight on that portal, and on no other. A portal undefined
     * while the caller waited is not returned: the name is looked up again.
     *
     * @throws PortalException INVALID_ARGUMENT (name), NOT_FOUND
     */
    PortalRuntime acquire(String name) throws PortalException {
        while (true) {
            PortalRuntime rt = get(name);
            rt.lifecycle.lock(); // outside this registry's monitor: the lock order puts portal locks first
            if (isCurrent(rt)) {
                return rt;
            }
            rt.lifecycle.unlock();
        }
    }

    private synchronized boolean isCurrent(PortalRuntime rt) {
        return portals.get(rt.definition.name()) == rt;
    }

    /** Every defined portal, by name. */
    List<PortalRuntime> all() {
        List<PortalRuntime> all;
        synchronized (this) {
            all = new ArrayList<>(portals.values());
        }
        all.sort(Comparator.comparing(rt -> rt.definition.name()));
        return all;
    }

    /**
     * Defines a portal: checks the limits, stores the definition (fsync'd) and creates its share.
     *
     * @throws PortalException ALREADY_EXISTS (name, route), RESOURCE_EXHAUSTED (portal count),
     *                         INVALID_ARGUMENT (socket path too long), INTERNAL (disk)
     */
    PortalRuntime register(PortalDefinition d) throws PortalException {
        claim(d);
        boolean registered = false;
        try {
            Path dir = portalsDir.resolve(d.name());
            checkSocketPaths(dir, d);
            try {
                Files.createDirectories(dir.resolve(SHARE_DIR));
                DurableFiles.write(dir.resolve(DEFINITION_FILE), d.toToml().getBytes(StandardCharsets.UTF_8));
                DurableFiles.syncDirectory(portalsDir);
            } catch (IOException e) {
                throw new PortalException(
                        PortalException.Kind.INTERNAL, "cannot store " + d.name() + ": " + e.getMessage(), e);
            }
            PortalRuntime rt = new PortalRuntime(d, dir);
            synchronized (this) {
                claimed.remove(d.name());
                portals.put(d.name(), rt);
            }
            registered = true;
            return rt;
        } finally {
            if (!registered) {
                unclaim(d.name());
            }
        }
    }

    private synchronized void claim(PortalDefinition d) throws PortalException {
        if (portals.containsKey(d.name())) {
            throw new PortalException(
                    PortalException.Kind.ALREADY_EXISTS, "portal " + d.name() + " is already defined");
        }
        if (claimed.containsKey(d.name())) {
            throw new PortalException(
                    PortalException.Kind.ALREADY_EXISTS,
                    "portal " + d.name() + " is being defined or undefined right now; try again");
        }
        if (portals.size() + claimed.size() >= maxPortals) {
            throw new PortalException(
                    PortalException.Kind.RESOURCE_EXHAUSTED,
                    "cannot define " + d.name() + ": the host allows at most " + maxPortals
                            + " portals; undefine one first");
        }
        List<PortalDefinition> others = Stream.concat(
                        portals.values().stream().map(rt -> rt.definition), claimed.values().stream())
                .toList();
        for (PortalDefinition other : others) {
            for (String route : d.routes().keySet()) {
                if (other.routes().containsKey(route)) {
                    throw new PortalException(
                            PortalException.Kind.ALREADY_EXISTS,
                            "cannot define " + d.name() + ": route '" + route + "' is already carried by portal "
                                    + other.name());
                }
            }
        }
        claimed.put(d.name(), d);
    }

    private synchronized void unclaim(String name) {
        claimed.remove(name);
    }

    private static void checkSocketPaths(Path dir, PortalDefinition d) throws PortalException {
        List<String> names =
                new ArrayList<>(d.channels().stream().map(c -> c + ".sock").toList());
        names.add(QMP_SOCKET);
        for (String n : names) {
            int len = dir.resolve(n).toString().getBytes(StandardCharsets.UTF_8).length;
            if (len > MAX_SOCKET_PATH_BYTES) {
                throw new PortalException(
                        PortalException.Kind.INVALID_ARGUMENT,
                        "portal " + d.name() + ": socket path "
                                + dir.resolve(n) + " would be " + len + " bytes, over the " + MAX_SOCKET_PATH_BYTES
                                + " a unix socket allows; use a shorter name or channel");
            }
        }
    }

    /**
     * Removes a portal's definition and files. The caller holds the portal's lifecycle lock and
     * has seen its VM stopped. Refused while its share still holds links (the share engineer's
     * bind mounts must be undone first: deleting through a mount would delete the host's files).
     * The definition goes first, so a crash half-way leaves a folder that loads as no portal.
     *
     * @throws PortalException FAILED_PRECONDITION (share links), INTERNAL (disk)
     */
    void remove(PortalRuntime rt) throws PortalException {
        String name = rt.definition.name();
        Path share = rt.dir.resolve(SHARE_DIR);
        try {
            if (Files.isDirectory(share, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(share)) {
                    if (entries.iterator().hasNext()) {
                        throw new PortalException(
                                PortalException.Kind.FAILED_PRECONDITION,
                                "the share of " + name + " still holds links; unlink them before undefining");
                    }
                }
            }
        } catch (IOException e) {
            throw new PortalException(
                    PortalException.Kind.INTERNAL, "cannot remove the files of " + name + ": " + e.getMessage(), e);
        }
        synchronized (this) {
            portals.remove(name, rt);
            claimed.put(name, rt.definition); // the name stays taken until its folder is gone
        }
        try {
            try {
                Files.deleteIfExists(rt.dir.resolve(DEFINITION_FILE));
                DurableFiles.syncDirectory(rt.dir);
            } catch (IOException e) {
                synchronized (this) {
                    portals.put(name, rt); // nothing was removed: the portal stays defined
                }
                throw e;
            }
            new SnapshotStore(rt.dir.resolve(SNAPSHOT_DIR)).deleteAll();
            Files.deleteIfExists(share);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(rt.dir)) {
                for (Path f : files) {
                    if (!Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                        Files.delete(f);
                    }
                }
            }
            Files.delete(rt.dir);
            DurableFiles.syncDirectory(portalsDir);
        } catch (IOException e) {
            throw new PortalException(
                    PortalException.Kind.INTERNAL, "cannot remove the files of " + name + ": " + e.getMessage(), e);
        } finally {
            unclaim(name);
        }
    }

    /** Forgets every portal (the service is detached). */
    synchronized void clear() {
        portals.clear();
    }
}
