package org.multiverse.scramble.host.portal;

import java.time.Instant;

/**
 * One kept disk state of a portal ("time dilation").
 *
 * @param tag       the person's name for it
 * @param sequence  increasing number: later snapshots have larger ones
 * @param created   when it was taken
 * @param sizeBytes size of the kept overlay
 */
public record SnapshotInfo(String tag, long sequence, Instant created, long sizeBytes) {}
