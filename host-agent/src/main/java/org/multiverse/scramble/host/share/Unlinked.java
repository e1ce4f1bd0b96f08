package org.multiverse.scramble.host.share;

/**
 * The result of {@link ShareService#unlink}.
 *
 * @param link the link that was removed
 * @param unmount how its mount went away
 * @param mountPointRemoved whether its folder in the share was removed too (it stays only if
 *     something was written into it underneath the mount, which is then left for a person)
 */
public record Unlinked(ShareLink link, UnmountOutcome unmount, boolean mountPointRemoved) {}
