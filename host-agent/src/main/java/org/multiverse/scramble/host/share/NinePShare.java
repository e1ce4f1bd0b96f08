package org.multiverse.scramble.host.share;

import java.nio.file.Path;
import java.util.List;

/**
 * The one 9p export every portal gets: QEMU's {@code local} fsdev rooted in the portal's share
 * directory, exposed to the guest as a virtio-9p device with the mount tag
 * {@value #MOUNT_TAG}. Further host folders appear inside it as bind mounts (see
 * {@link ShareService}); the export itself never changes while the portal runs.
 *
 * <p>Why these options: {@code security_model=mapped-xattr} stores the guest's owners, modes,
 * symlinks and device nodes as extended attributes and plain files, so nothing the guest
 * creates becomes a real host symlink or device (a guest-made symlink cannot later redirect a
 * host-side bind mount); {@code multidevs=remap} keeps inode numbers unique although the
 * bind-mounted folders live on other host file systems.
 */
public final class NinePShare {

    /** The mount tag the guest mounts; the guest's fstab names it (see {@link FstabGenerator}). */
    public static final String MOUNT_TAG = "multiverse-portal";

    /** The fsdev id joining {@code -fsdev} to its {@code -device}; one share per VM, so fixed. */
    public static final String FSDEV_ID = "multiverse-portal-fs";

    private NinePShare() {}

    /**
     * The QEMU arguments that export {@code shareRoot}:
     * {@code -fsdev local,id=multiverse-portal-fs,path=SHARE_ROOT,security_model=mapped-xattr,multidevs=remap
     * -device virtio-9p-pci,fsdev=multiverse-portal-fs,mount_tag=multiverse-portal}. Commas in the
     * path are doubled (QEMU's escape), so no path can add or override an option.
     *
     * @param shareRoot absolute path of the portal's share directory
     * @return four arguments, to be appended to the QEMU command line as they are
     * @throws IllegalArgumentException if the path is relative or contains a line break, NUL or
     *     another control character (QEMU would accept some of them; nothing legitimate has them)
     */
    public static List<String> qemuArguments(Path shareRoot) {
        if (shareRoot == null || !shareRoot.isAbsolute()) {
            throw new IllegalArgumentException(
                    "9p share root must be an absolute path, got " + Display.quote(String.valueOf(shareRoot)));
        }
        String path = shareRoot.toString();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException("9p share root contains a line break: " + Display.quote(path));
            }
            if (c == 0) {
                throw new IllegalArgumentException("9p share root contains NUL: " + Display.quote(path));
            }
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException(
                        "9p share root contains a control character: " + Display.quote(path));
            }
        }
        return List.of(
                "-fsdev",
                "local,id=" + FSDEV_ID + ",path=" + escapeOptionValue(path)
                        + ",security_model=mapped-xattr,multidevs=remap",
                "-device",
                "virtio-9p-pci,fsdev=" + FSDEV_ID + ",mount_tag=" + MOUNT_TAG);
    }

    /** QEMU's option syntax ends a value at a single comma; a doubled comma is a literal one. */
    static String escapeOptionValue(String value) {
        return value.replace(",", ",,");
    }
}
