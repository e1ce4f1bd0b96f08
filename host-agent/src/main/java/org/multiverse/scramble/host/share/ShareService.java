package org.multiverse.scramble.host.share;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The portal's one 9p share and the host folders linked into it.
 *
 * <p>Each portal's share is {@code PORTAL_DIR/share} (exported by {@link NinePShare}). A link
 * is a bind mount of an allowed host folder at {@code share/NAME}; a running guest sees it at
 * once. Links are listed in {@code PORTAL_DIR/share-links} (fsync'd) and mounted again by
 * {@link #restoreAll()} when the agent starts. After every change the guest's fstab is
 * rewritten to {@code share/.multiverse/fstab}, for the guest's init to use.
 *
 * <p>Every operation either completes or leaves things as they were. Operations are
 * serialised: they are rare and each is a few system calls.
 */
public final class ShareService {

    /** The share's folder inside the portal's state directory. */
    public static final String SHARE_DIR = "share";

    /** The agent's own folder inside the share; link names cannot start with a dot. */
    public static final String META_DIR = ".multiverse";

    /** The generated fstab, at {@code share/.multiverse/fstab}. */
    public static final String FSTAB_FILE = "fstab";

    private final PortalDirectories portals;
    private final HostPathPolicy policy;
    private final Mounter mounter;
    private final FstabGenerator fstab;

    /**
     * A service for portals laid out as {@link PortalDirectories#under(Path) folders under
     * portalsDir}, with the default guest mount point.
     *
     * @param portalsDir absolute folder holding the portals' state directories
     * @param allowedRoots host folders under which links may point (must exist)
     * @param mounter how bind mounts are made
     * @throws IllegalArgumentException if an allowed root does not exist or is unsafe
     */
    public ShareService(Path portalsDir, List<Path> allowedRoots, Mounter mounter) {
        this(PortalDirectories.under(portalsDir), allowedRoots, mounter, new FstabGenerator());
    }

    /**
     * @param portals where each portal's state directory is
     * @param allowedRoots host folders under which links may point (must exist)
     * @param mounter how bind mounts are made
     * @param fstab the guest fstab generator (it holds the guest mount point)
     * @throws IllegalArgumentException if an allowed root does not exist or is unsafe
     */
    public ShareService(PortalDirectories portals, List<Path> allowedRoots, Mounter mounter, FstabGenerator fstab) {
        this.portals = Objects.requireNonNull(portals, "portals");
        this.policy = new HostPathPolicy(Objects.requireNonNull(allowedRoots, "allowedRoots"));
        this.mounter = Objects.requireNonNull(mounter, "mounter");
        this.fstab = Objects.requireNonNull(fstab, "fstab");
    }

    /**
     * The share root of {@code portal}, created if missing: the path to give
     * {@link NinePShare#qemuArguments(Path)}.
     *
     * @throws ShareException NOT_FOUND for an unknown portal, INTERNAL if the share is unusable
     */
    public synchronized Path shareRoot(String portal) throws ShareException {
        return shareRootOf(portalDir(portal));
    }

    /**
     * Links the host folder {@code hostPath} into the share of {@code portal} as
     * {@code share/NAME}.
     *
     * @param portal the portal's name
     * @param hostPath the host folder, absolute; it must lie under an allowed root after every
     *     symbolic link is followed
     * @param asName the name in the share; {@code null} means the folder's own name (an empty
     *     string is refused: a protocol handler maps an unset field to {@code null})
     * @param readOnly whether the guest may only read
     * @return the link as persisted (with the canonical host path)
     * @throws ShareException INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, PERMISSION or INTERNAL,
     *     with the reason; nothing is mounted or recorded then
     */
    public synchronized ShareLink link(String portal, String hostPath, String asName, boolean readOnly)
            throws ShareException {
        Path portalDir = portalDir(portal);
        String checkedName = asName == null ? null : LinkName.check(asName);
        Path shareRoot = shareRootOf(portalDir);
        Path source = policy.check(hostPath, portalDir, shareRoot);
        String name = checkedName != null ? checkedName : LinkName.fromFolder(source);

        List<ShareLink> before = LinkStore.load(portalDir);
        for (ShareLink existing : before) {
            if (existing.name().equals(name)) {
                throw new ShareException(
                        ShareException.Kind.ALREADY_EXISTS,
                        "portal " + portal
                                + " already has a link named " + name + " (to " + existing.hostPath()
                                + "); unlink it first or choose another name with --as");
            }
        }
        if (before.size() >= LinkStore.MAX_LINKS) {
            throw new ShareException(
                    ShareException.Kind.INVALID_ARGUMENT,
                    "portal " + portal + " already has " + before.size() + " links, the most a share may have");
        }
        mounter.checkPrivilege();

        Path target = shareRoot.resolve(name);
        boolean created = prepareMountPoint(target, name);
        try {
            mounter.bind(source, target, readOnly);
        } catch (ShareException e) {
            removeMountPoint(target, created, e);
            throw e;
        }
        ShareLink link = new ShareLink(name, source, readOnly);
        List<ShareLink> after = new ArrayList<>(before);
        after.add(link);
        try {
            LinkStore.save(portalDir, after);
            writeFstab(portal, shareRoot, after);
        } catch (ShareException e) {
            undoLink(portalDir, before, target, created, e);
            throw e;
        }
        return link;
    }

    /**
     * Removes the link {@code asName} from the share of {@code portal}: unmounts it (lazily if
     * the guest holds files in it open, see {@link SystemMounter}), removes its folder in the
     * share and forgets it.
     *
     * @throws ShareException NOT_FOUND for an unknown portal or link, PERMISSION without the
     *     privilege, INTERNAL if unmounting failed (the link then stays)
     */
    public synchronized Unlinked unlink(String portal, String asName) throws ShareException {
        Path portalDir = portalDir(portal);
        String name = LinkName.check(asName);
        List<ShareLink> links = LinkStore.load(portalDir);
        ShareLink link = links.stream()
                .filter(l -> l.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ShareException(
                        ShareException.Kind.NOT_FOUND, "portal " + portal + " has no link named " + name));
        mounter.checkPrivilege();
        Path shareRoot = shareRootOf(portalDir);
        Path target = shareRoot.resolve(name);
        UnmountOutcome outcome = mounter.unmount(target);
        boolean removed = removeEmptyFolder(target);
        List<ShareLink> after = new ArrayList<>(links);
        after.remove(link);
        LinkStore.save(portalDir, after);
        writeFstab(portal, shareRoot, after);
        return new Unlinked(link, outcome, removed);
    }

    /**
     * The links of {@code portal}, in the order they were made.
     *
     * @throws ShareException NOT_FOUND for an unknown portal, INTERNAL for an unreadable list
     */
    public synchronized List<ShareLink> list(String portal) throws ShareException {
        return LinkStore.load(portalDir(portal));
    }

    /**
     * The guest's fstab for {@code portal} (the same text as {@code share/.multiverse/fstab}).
     *
     * @throws ShareException NOT_FOUND for an unknown portal, INTERNAL for an unreadable list
     */
    public synchronized String fstab(String portal) throws ShareException {
        return fstab.fstab(portal, LinkStore.load(portalDir(portal)));
    }

    /**
     * Removes the agent's own files for {@code portal} (the links list and the share's
     * {@code .multiverse/} folder) so the portal can be undefined. Files the guest left in the
     * share are not touched.
     *
     * @throws ShareException INVALID_ARGUMENT while the portal still has links (unlink them
     *     first), NOT_FOUND for an unknown portal, INTERNAL on an I/O error
     */
    public synchronized void release(String portal) throws ShareException {
        Path portalDir = portalDir(portal);
        List<ShareLink> links = LinkStore.load(portalDir);
        if (!links.isEmpty()) {
            throw new ShareException(
                    ShareException.Kind.INVALID_ARGUMENT,
                    "portal " + portal
                            + " still has links ("
                            + String.join(
                                    ", ", links.stream().map(ShareLink::name).toList())
                            + "); unlink them first");
        }
        Path meta = portalDir.resolve(SHARE_DIR).resolve(META_DIR);
        try {
            Files.deleteIfExists(meta.resolve(FSTAB_FILE + ".tmp"));
            Files.deleteIfExists(meta.resolve(FSTAB_FILE));
            if (Files.isDirectory(meta, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(meta);
            }
            Files.deleteIfExists(portalDir.resolve(LinkStore.FILE_NAME));
        } catch (IOException e) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL,
                    "cannot remove the share files of " + portal + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Mounts again every persisted link that is not mounted (after a host reboot, or if a
     * mount was removed by hand), re-checking each against the current allowed roots, and
     * rewrites each portal's fstab. One failing link does not stop the others.
     *
     * @return one outcome per link (and one per portal whose list could not be read)
     * @throws ShareException INTERNAL if the portals cannot be listed at all
     */
    public synchronized List<RestoreOutcome> restoreAll() throws ShareException {
        List<RestoreOutcome> outcomes = new ArrayList<>();
        for (String portal : portals.portals()) {
            List<ShareLink> links;
            Path shareRoot;
            Path portalDir;
            try {
                portalDir = portalDir(portal);
                links = LinkStore.load(portalDir);
                shareRoot = shareRootOf(portalDir);
                writeFstab(portal, shareRoot, links);
            } catch (ShareException e) {
                outcomes.add(new RestoreOutcome(portal, "*", RestoreOutcome.Status.FAILED, e.getMessage()));
                continue;
            }
            for (ShareLink link : links) {
                outcomes.add(restore(portal, portalDir, shareRoot, link));
            }
        }
        return List.copyOf(outcomes);
    }

    private RestoreOutcome restore(String portal, Path portalDir, Path shareRoot, ShareLink link) {
        Path target = shareRoot.resolve(link.name());
        try {
            if (mounter.isMounted(target)) {
                return new RestoreOutcome(portal, link.name(), RestoreOutcome.Status.ALREADY_MOUNTED, "");
            }
            Path source = policy.check(link.hostPath().toString(), portalDir, shareRoot);
            if (!source.equals(link.hostPath())) {
                throw new ShareException(
                        ShareException.Kind.PERMISSION,
                        "host path " + link.hostPath() + " now leads to " + source
                                + "; link it again if that is intended");
            }
            mounter.checkPrivilege();
            boolean created = prepareMountPoint(target, link.name());
            try {
                mounter.bind(source, target, link.readOnly());
            } catch (ShareException e) {
                removeMountPoint(target, created, e);
                throw e;
            }
            return new RestoreOutcome(portal, link.name(), RestoreOutcome.Status.RESTORED, "");
        } catch (ShareException e) {
            return new RestoreOutcome(portal, link.name(), RestoreOutcome.Status.FAILED, e.getMessage());
        }
    }

    private Path portalDir(String portal) throws ShareException {
        Path dir = portals.portalDir(portal)
                .orElseThrow(() ->
                        new ShareException(ShareException.Kind.NOT_FOUND, "no portal named " + Display.quote(portal)));
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL,
                    "cannot resolve the state directory of portal " + portal + ": " + e.getMessage(),
                    e);
        }
    }

    /** The canonical share root, created if missing; a symlink or file there is refused. */
    private static Path shareRootOf(Path portalDir) throws ShareException {
        Path share = portalDir.resolve(SHARE_DIR);
        try {
            if (!Files.exists(share, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(share);
            }
            if (!Files.isDirectory(share, LinkOption.NOFOLLOW_LINKS)) {
                throw new ShareException(ShareException.Kind.INTERNAL, "the share " + share + " is not a plain folder");
            }
        } catch (IOException e) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL, "cannot create the share " + share + ": " + e.getMessage(), e);
        }
        return share;
    }

    /**
     * Makes {@code target} an empty folder to mount on. An existing empty folder is reused
     * (left by an earlier link, or made by the guest); anything else there is refused, and
     * nothing in the share is ever followed as a symlink.
     *
     * @return whether the folder was created now (and so is removed again on failure)
     */
    private boolean prepareMountPoint(Path target, String name) throws ShareException {
        try {
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(target);
                return true;
            }
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new ShareException(
                        ShareException.Kind.ALREADY_EXISTS,
                        "the share already holds" + " a file named " + name
                                + "; remove it in the guest or choose another name with --as");
            }
            if (mounter.isMounted(target)) {
                throw new ShareException(
                        ShareException.Kind.ALREADY_EXISTS,
                        "something is already mounted at " + name + " in the share");
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
                if (entries.iterator().hasNext()) {
                    throw new ShareException(
                            ShareException.Kind.ALREADY_EXISTS,
                            "the share already holds"
                                    + " a non-empty folder named " + name
                                    + "; empty it in the guest or choose another name with --as");
                }
            }
            return false;
        } catch (IOException e) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL, "cannot prepare " + name + " in the share: " + e.getMessage(), e);
        }
    }

    private static void removeMountPoint(Path target, boolean created, Exception failure) {
        if (!created) {
            return;
        }
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static boolean removeEmptyFolder(Path target) throws ShareException {
        try {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(target);
            }
            return true;
        } catch (DirectoryNotEmptyException e) {
            return false;
        } catch (IOException e) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL,
                    "unmounted, but cannot remove the folder " + target + ": " + e.getMessage(),
                    e);
        }
    }

    private void undoLink(
            Path portalDir, List<ShareLink> before, Path target, boolean created, ShareException failure) {
        try {
            LinkStore.save(portalDir, before);
        } catch (ShareException e) {
            failure.addSuppressed(e);
        }
        try {
            mounter.unmount(target);
        } catch (ShareException e) {
            failure.addSuppressed(e);
        }
        removeMountPoint(target, created, failure);
    }

    /**
     * Writes {@code share/.multiverse/fstab} through a temporary file and a rename, so the guest
     * never reads half a file. {@code .multiverse} is in guest-writable space: a non-folder
     * there is replaced; symlinks are never followed (and under mapped-xattr the guest cannot
     * make real ones).
     */
    private void writeFstab(String portal, Path shareRoot, List<ShareLink> links) throws ShareException {
        Path meta = shareRoot.resolve(META_DIR);
        Path file = meta.resolve(FSTAB_FILE);
        Path temporary = meta.resolve(FSTAB_FILE + ".tmp");
        try {
            if (Files.exists(meta, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(meta, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(meta);
            }
            if (!Files.exists(meta, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(meta);
            }
            Files.deleteIfExists(temporary);
            try (FileChannel channel = FileChannel.open(
                    temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer text = ByteBuffer.wrap(fstab.fstab(portal, links).getBytes(StandardCharsets.UTF_8));
                while (text.hasRemaining()) {
                    channel.write(text);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL, "cannot write the guest fstab " + file + ": " + e.getMessage(), e);
        }
    }
}
