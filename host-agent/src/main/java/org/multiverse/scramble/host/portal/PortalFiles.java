package org.multiverse.scramble.host.portal;

/**
 * The files of one portal in {@code STATE/portals/NAME/}: {@code portal.toml} (the
 * definition, fsync'd), {@code share/} (the 9p share root), {@code overlay.qcow2} (the
 * ephemeral disk over the read-only base), {@code status.out} (the serial console),
 * {@code qmp.sock}, {@code qemu.pid}, {@code qemu.args}, {@code qemu.log},
 * {@code CHANNEL.sock} per virtio-serial channel, and {@code snapshots/}.
 */
final class PortalFiles {

    static final String PORTALS_DIR = "portals";
    static final String DEFINITION_FILE = "portal.toml";
    static final String SHARE_DIR = "share";
    static final String OVERLAY_FILE = "overlay.qcow2";
    static final String CONSOLE_FILE = "status.out";
    static final String QMP_SOCKET = "qmp.sock";
    static final String PID_FILE = "qemu.pid";
    static final String SNAPSHOT_DIR = "snapshots";
    /** Present when a reverted overlay must be booted as is by the next start. */
    static final String REVERT_MARKER = "revert-pending";

    private PortalFiles() {}
}
