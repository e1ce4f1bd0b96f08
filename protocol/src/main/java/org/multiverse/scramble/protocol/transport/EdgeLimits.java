package org.multiverse.scramble.protocol.transport;

import java.time.Duration;
import java.util.Objects;
import org.multiverse.scramble.protocol.ratelimit.BucketSpec;

/**
 * What one listening socket (unix or TCP) allows its peers before they have authenticated, and
 * when it cuts a link (normative values in {@code protocol/TRANSPORTS.md}). A peer is a unix
 * user id ({@code SO_PEERCRED}) or a TCP source address: its budgets are shared by all its
 * connections, so opening a new connection never buys a fresh budget.
 *
 * @param maxConnections links open at once on the listener; more are closed at once, unanswered
 * @param maxConnectionsPerPeer links open at once from one peer
 * @param acceptsPerPeer new links per refill period from one peer
 * @param acceptsTotal new links per refill period on the listener
 * @param workPerPeer parse work (bytes scanned or run through a CRC) of one peer's
 *     unauthenticated links
 * @param workTotal parse work of all unauthenticated links of the listener
 * @param workPerLink parse work of one authenticated link (it no longer shares its peer's)
 * @param authDeadline a link that has not authenticated (an envelope of an authorised session,
 *     fresh and in its sequence window) by then is closed
 * @param idleTimeout an authenticated link that sends nothing (not even heartbeats) this long is
 *     closed
 * @param partialFrameDeadline a link that holds an incomplete frame (or garbage) this long
 *     without completing a frame is closed: a slow writer cannot pin a buffer
 * @param throttledCut a link whose reading was paused for lack of work budget this long in total
 *     since its last good frame is closed
 */
public record EdgeLimits(
        int maxConnections,
        int maxConnectionsPerPeer,
        BucketSpec acceptsPerPeer,
        BucketSpec acceptsTotal,
        BucketSpec workPerPeer,
        BucketSpec workTotal,
        BucketSpec workPerLink,
        Duration authDeadline,
        Duration idleTimeout,
        Duration partialFrameDeadline,
        Duration throttledCut) {

    /** Far below the agent's descriptor limit (4096 and up), far above a person's shells and dashboards. */
    public static final int MAX_CONNECTIONS = 1024;
    /** A person runs a few shells, a dashboard and scripts; 64 leaves room, and 16 peers fill the listener. */
    public static final int MAX_CONNECTIONS_PER_PEER = 64;
    /** A shell reconnects at most every 250 ms; a script loop starts a few JVMs a second. */
    public static final BucketSpec ACCEPTS_PER_PEER = new BucketSpec(32, 1000, 0);
    /** Accepting costs a descriptor and a pipeline; 256/s is a few ms of CPU. */
    public static final BucketSpec ACCEPTS_TOTAL = new BucketSpec(256, 1000, 0);
    /**
     * 32 MiB/s, paid in steps of at most 4 MiB (a refill of 125 ms): twice the pre-auth byte
     * budget, since good input costs about one unit per byte; one step is at most a few
     * milliseconds of an I/O thread, so a header bomb cannot hold it long.
     */
    public static final BucketSpec WORK_PER_PEER = new BucketSpec(4L << 20, 125, 0);
    /** Two peers' worth: whatever many peers send, the I/O threads stay mostly free. */
    public static final BucketSpec WORK_TOTAL = new BucketSpec(8L << 20, 125, 0);
    /** An authenticated link's own budget, the same as a peer's. */
    public static final BucketSpec WORK_PER_LINK = WORK_PER_PEER;
    /**
     * A client sends its first command within moments of connecting; an idle shell whose link
     * is cut redials transparently (its next command authenticates the new link).
     */
    public static final Duration AUTH_DEADLINE = Duration.ofSeconds(30);
    /** Clients heartbeat every 2 s; a link silent this long is dead or abandoned. */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** A 64 KiB frame crosses even a slow Tor circuit in a few seconds. */
    public static final Duration PARTIAL_FRAME_DEADLINE = Duration.ofSeconds(20);
    /** Good input is never throttled this long; a header bomb is, and loses its link. */
    public static final Duration THROTTLED_CUT = Duration.ofSeconds(2);

    /** The reference agent's limits. */
    public static final EdgeLimits DEFAULTS = new EdgeLimits(
            MAX_CONNECTIONS,
            MAX_CONNECTIONS_PER_PEER,
            ACCEPTS_PER_PEER,
            ACCEPTS_TOTAL,
            WORK_PER_PEER,
            WORK_TOTAL,
            WORK_PER_LINK,
            AUTH_DEADLINE,
            IDLE_TIMEOUT,
            PARTIAL_FRAME_DEADLINE,
            THROTTLED_CUT);

    /** @throws IllegalArgumentException if a count is below 1 or a duration not positive */
    public EdgeLimits {
        if (maxConnections < 1 || maxConnectionsPerPeer < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1");
        }
        for (Object o : new Object[] {acceptsPerPeer, acceptsTotal, workPerPeer, workTotal, workPerLink}) {
            Objects.requireNonNull(o, "bucket");
        }
        for (Duration d : new Duration[] {authDeadline, idleTimeout, partialFrameDeadline, throttledCut}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("deadlines must be positive, got " + d);
            }
        }
    }

    /** These limits with other deadlines (tests use short ones). */
    public EdgeLimits withDeadlines(
            Duration authDeadline, Duration idleTimeout, Duration partialFrameDeadline, Duration throttledCut) {
        return new EdgeLimits(
                maxConnections,
                maxConnectionsPerPeer,
                acceptsPerPeer,
                acceptsTotal,
                workPerPeer,
                workTotal,
                workPerLink,
                authDeadline,
                idleTimeout,
                partialFrameDeadline,
                throttledCut);
    }

    /** These limits with other connection caps. */
    public EdgeLimits withConnections(int maxConnections, int maxConnectionsPerPeer) {
        return new EdgeLimits(
                maxConnections,
                maxConnectionsPerPeer,
                acceptsPerPeer,
                acceptsTotal,
                workPerPeer,
                workTotal,
                workPerLink,
                authDeadline,
                idleTimeout,
                partialFrameDeadline,
                throttledCut);
    }

    /** These limits with other work budgets. */
    public EdgeLimits withWork(BucketSpec workPerPeer, BucketSpec workTotal, BucketSpec workPerLink) {
        return new EdgeLimits(
                maxConnections,
                maxConnectionsPerPeer,
                acceptsPerPeer,
                acceptsTotal,
                workPerPeer,
                workTotal,
                workPerLink,
                authDeadline,
                idleTimeout,
                partialFrameDeadline,
                throttledCut);
    }
}
