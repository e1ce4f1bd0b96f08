package org.multiverse.scramble.host.share;

import java.util.List;

/**
 * Writes the guest's {@code /etc/fstab} entry for the portal's share:
 * <pre>
 * multiverse-portal /mnt/multiverse 9p trans=virtio,version=9p2000.L,msize=512000,access=client,nofail,rw 0 0
 * </pre>
 *
 * <p>The options, and why:
 * <ul>
 *   <li>{@code version=9p2000.L}: the Linux dialect (full POSIX semantics, xattrs).</li>
 *   <li>{@code msize=}{@value #MSIZE}: the largest message the guest kernel's virtio transport
 *       accepts (PAGE_SIZE × 125 = 500 KiB in {@code net/9p/trans_virtio.c}; a larger value
 *       is cut down to it with a warning), so large reads and writes take the fewest round
 *       trips. The guest-boot test checks the kernel really uses it.</li>
 *   <li>{@code access=client}: the guest kernel checks permissions against the owners and
 *       modes that {@code security_model=mapped-xattr} keeps for it.</li>
 *   <li>no {@code cache=} option: the default (no cache) lets the guest see host-side changes
 *       and new links at once, which is what links are for.</li>
 *   <li>{@code nofail}: a portal whose share is missing still boots.</li>
 *   <li>no {@code x-systemd.automount}: it only defers the mount to first use, hides a
 *       failure until then, and means nothing to non-systemd guests (busybox, RTOS images);
 *       the 9p mount is local and instant.</li>
 *   <li>{@code ro} when every link is read-only (and there is at least one), else {@code rw}.
 *       This is a courtesy to the guest; the host's read-only bind mounts are what enforce
 *       it.</li>
 * </ul>
 */
public final class FstabGenerator {

    /** Where the guest mounts the share unless configured otherwise. */
    public static final String DEFAULT_MOUNT_POINT = "/mnt/multiverse";

    /** The guest's virtio transport maximum (see the class comment). */
    public static final int MSIZE = 512_000;

    /** fstab fields are not length-limited, but a mount point longer than this is a mistake. */
    static final int MAX_MOUNT_POINT_CHARS = 255;

    private final String mountPoint;

    /** A generator for the default mount point {@value #DEFAULT_MOUNT_POINT}. */
    public FstabGenerator() {
        this.mountPoint = DEFAULT_MOUNT_POINT;
    }

    private FstabGenerator(String mountPoint) {
        this.mountPoint = mountPoint;
    }

    /**
     * A generator for another mount point: absolute, normalised (no {@code .}, {@code ..},
     * empty elements or trailing {@code /}), not {@code /}, made only of letters, digits,
     * {@code .}, {@code _}, {@code -} and {@code /} (fstab fields are space-separated and
     * backslash-escaped; none of that is needed).
     *
     * @throws ShareException INVALID_ARGUMENT naming the rule it breaks
     */
    public static FstabGenerator forMountPoint(String mountPoint) throws ShareException {
        if (mountPoint == null || mountPoint.isEmpty()) {
            throw invalid("guest mount point is empty");
        }
        if (mountPoint.length() > MAX_MOUNT_POINT_CHARS) {
            throw invalid("guest mount point is " + mountPoint.length() + " characters long; at most "
                    + MAX_MOUNT_POINT_CHARS + " are allowed");
        }
        String shown = Display.quote(mountPoint);
        for (int i = 0; i < mountPoint.length(); i++) {
            char c = mountPoint.charAt(i);
            if (c == '\n' || c == '\r') {
                throw invalid("guest mount point " + shown + " contains a line break");
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw invalid(
                        "guest mount point " + shown + " contains a space; fstab fields are" + " separated by spaces");
            }
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-'
                    || c == '/';
            if (!ok) {
                throw invalid("guest mount point " + shown + " contains "
                        + Display.quote(String.valueOf(c))
                        + "; only letters, digits, '.', '_', '-' and '/' are allowed");
            }
        }
        if (mountPoint.charAt(0) != '/') {
            throw invalid("guest mount point " + shown + " is not absolute");
        }
        if (mountPoint.equals("/")) {
            throw invalid("guest mount point may not be / itself");
        }
        if (mountPoint.endsWith("/")) {
            throw invalid("guest mount point " + shown + " ends with '/'");
        }
        for (String element : mountPoint.substring(1).split("/", -1)) {
            if (element.isEmpty() || element.equals(".") || element.equals("..")) {
                throw invalid("guest mount point " + shown + " is not normalised (empty, '.' or '..' element)");
            }
        }
        return new FstabGenerator(mountPoint);
    }

    /** The guest mount point this generator writes. */
    public String mountPoint() {
        return mountPoint;
    }

    /** The mount options for a share holding {@code links}. */
    public String options(List<ShareLink> links) {
        boolean readOnly = !links.isEmpty() && links.stream().allMatch(ShareLink::readOnly);
        return "trans=virtio,version=9p2000.L,msize=" + MSIZE + ",access=client,nofail," + (readOnly ? "ro" : "rw");
    }

    /** The single fstab line (no newline) for a share holding {@code links}. */
    public String line(List<ShareLink> links) {
        return NinePShare.MOUNT_TAG + " " + mountPoint + " 9p " + options(links) + " 0 0";
    }

    /**
     * The complete file: a comment naming the portal and its links (a person reading the
     * guest's fstab learns where each folder comes from), then {@link #line}.
     *
     * @param portal the portal's name, for the comment
     * @param links the portal's links
     */
    public String fstab(String portal, List<ShareLink> links) {
        StringBuilder text = new StringBuilder();
        text.append("# Multiverse portal ")
                .append(commentSafe(portal))
                .append(": the host's 9p share (generated by the host agent)\n");
        for (ShareLink link : links) {
            text.append("#   ")
                    .append(mountPoint)
                    .append('/')
                    .append(link.name())
                    .append(link.readOnly() ? " (read-only)" : " (read-write)")
                    .append('\n');
        }
        text.append(line(links)).append('\n');
        return text.toString();
    }

    /** A comment must stay one line whatever the caller passes. */
    private static String commentSafe(String text) {
        return text == null ? "(unnamed)" : text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", "?");
    }

    private static ShareException invalid(String message) {
        return new ShareException(ShareException.Kind.INVALID_ARGUMENT, message);
    }
}
