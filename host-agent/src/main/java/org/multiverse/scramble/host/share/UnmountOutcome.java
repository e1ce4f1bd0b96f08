package org.multiverse.scramble.host.share;

/** How a link's mount went away. */
public enum UnmountOutcome {
    /** Unmounted at once: nothing in it was in use. */
    UNMOUNTED,
    /**
     * It was busy (the guest had a file in it open, so QEMU held it), and was detached lazily
     * ({@code umount --lazy}): it left the share immediately, so nothing new can be opened
     * through it, while files already open stay usable until closed.
     */
    DETACHED_LAZILY,
    /** Nothing was mounted there (already gone, e.g. after a host reboot). */
    WAS_NOT_MOUNTED
}
