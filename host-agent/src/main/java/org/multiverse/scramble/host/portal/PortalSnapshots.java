package org.multiverse.scramble.host.portal;

import static org.multiverse.scramble.host.portal.PortalFiles.OVERLAY_FILE;
import static org.multiverse.scramble.host.portal.PortalFiles.REVERT_MARKER;
import static org.multiverse.scramble.host.portal.PortalFiles.SNAPSHOT_DIR;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.multiverse.scramble.host.hypervisor.DurableFiles;
import org.multiverse.scramble.host.hypervisor.HypervisorException;
import org.multiverse.scramble.host.hypervisor.VmHandle;

/**
 * "Time dilation": taking, reverting to and listing a portal's disk snapshots (kept by a
 * {@link SnapshotStore} in {@code PORTAL/snapshots/}), with the retention the configuration
 * sets. Taking and reverting are called with the portal's lifecycle lock held by the caller,
 * so no start, stop or second snapshot of the portal interleaves; the copies run outside the
 * portal's monitor, so listing portals does not wait for them.
 */
final class PortalSnapshots {

    private static final System.Logger LOG = System.getLogger(PortalSnapshots.class.getName());

    private final PortalLifecycle lifecycle;
    private final int retention;

    PortalSnapshots(PortalLifecycle lifecycle, int retention) {
        this.lifecycle = lifecycle;
        this.retention = retention;
    }

    /**
     * Keeps the current disk state under a tag. A running portal is paused for the copy (QEMU
     * flushes its disk on pause) and resumed after. Caller holds the lifecycle lock.
     *
     * @throws PortalException ALREADY_EXISTS, FAILED_PRECONDITION (diskless), UNAVAILABLE, INTERNAL
     */
    SnapshotInfo take(PortalRuntime rt, String tag) throws PortalException {
        String name = rt.definition.name();
        lifecycle.refresh(rt);
        Path overlay = rt.dir.resolve(OVERLAY_FILE);
        boolean hasOverlay = Files.isRegularFile(overlay);
        VmHandle running;
        synchronized (rt) {
            if (!hasOverlay || (rt.live() && !rt.diskInUse)) {
                throw new PortalException(
                        PortalException.Kind.FAILED_PRECONDITION,
                        "portal " + name + " has no disk to snapshot (it runs diskless)");
            }
            running = rt.state == PortalState.RUNNING ? rt.handle : null;
        }
        SnapshotStore store = new SnapshotStore(rt.dir.resolve(SNAPSHOT_DIR));
        boolean paused = false;
        try {
            if (store.find(tag).isPresent()) {
                throw new PortalException(
                        PortalException.Kind.ALREADY_EXISTS, "portal " + name + " already has a snapshot " + tag);
            }
            if (running != null) {
                running.pause();
                paused = true;
            }
            return store.take(tag, overlay, retention);
        } catch (IOException e) {
            throw new PortalException(
                    PortalException.Kind.INTERNAL, "cannot snapshot " + name + ": " + e.getMessage(), e);
        } catch (HypervisorException e) {
            throw PortalLifecycle.fromBackend("pause " + name + " for a snapshot", e);
        } finally {
            if (paused) {
                try {
                    running.resume();
                } catch (HypervisorException e) {
                    LOG.log(Level.WARNING, "could not resume {0} after a snapshot: {1}", name, e.getMessage());
                }
                lifecycle.refresh(rt);
            }
        }
    }

    /**
     * Boots an earlier disk state: the snapshot becomes the overlay (a copy, the snapshot
     * stays); a running portal restarts on it, a stopped one boots it at its next start.
     * Caller holds the lifecycle lock.
     *
     * @throws PortalException NOT_FOUND (tag), INTERNAL, and what a start throws
     */
    PortalInfo revert(PortalRuntime rt, String tag) throws PortalException {
        String name = rt.definition.name();
        SnapshotStore store = new SnapshotStore(rt.dir.resolve(SNAPSHOT_DIR));
        try {
            Path snap = store.find(tag)
                    .orElseThrow(() -> new PortalException(
                            PortalException.Kind.NOT_FOUND, "portal " + name + " has no snapshot " + tag));
            boolean wasLive = lifecycle.endForDiskChange(rt, "reverted to snapshot " + tag);
            Path overlay = rt.dir.resolve(OVERLAY_FILE);
            Path tmp = rt.dir.resolve(OVERLAY_FILE + ".revert");
            Files.copy(snap, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, overlay, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (wasLive) {
                lifecycle.launch(rt, true);
            } else {
                DurableFiles.write(rt.dir.resolve(REVERT_MARKER), (tag + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            return lifecycle.info(rt);
        } catch (IOException e) {
            throw new PortalException(
                    PortalException.Kind.INTERNAL, "cannot revert " + name + ": " + e.getMessage(), e);
        }
    }

    /** The kept snapshots, oldest first. Needs no lock: the store reads the folder. @throws PortalException INTERNAL */
    List<SnapshotInfo> list(PortalRuntime rt) throws PortalException {
        try {
            return new SnapshotStore(rt.dir.resolve(SNAPSHOT_DIR)).list();
        } catch (IOException e) {
            throw new PortalException(
                    PortalException.Kind.INTERNAL,
                    "cannot list snapshots of " + rt.definition.name() + ": " + e.getMessage(),
                    e);
        }
    }
}
