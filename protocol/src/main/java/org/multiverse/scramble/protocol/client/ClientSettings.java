package org.multiverse.scramble.protocol.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Liveness and reconnect timing of an {@link AgentClient}.
 *
 * @param heartbeatInterval how often a heartbeat is sent
 * @param missedHeartbeatsLimit unanswered heartbeats after which the link is declared dead
 * @param backoffInitial first reconnect delay
 * @param backoffCap largest reconnect delay
 */
public record ClientSettings(
        Duration heartbeatInterval, int missedHeartbeatsLimit, Duration backoffInitial, Duration backoffCap) {

    /** Frequent enough that the status line notices a dead link within seconds; tiny frames. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    /** Three misses (about 6 s) rides out a busy agent or a short stall without flapping. */
    public static final int MISSED_HEARTBEATS_LIMIT = 3;
    /** An agent restart takes about a second: retry soon. */
    public static final Duration BACKOFF_INITIAL = Duration.ofMillis(250);
    /** A VM that is down for long is polled every 10 s at most, not hammered. */
    public static final Duration BACKOFF_CAP = Duration.ofSeconds(10);

    /** The production settings. */
    public static final ClientSettings DEFAULTS =
            new ClientSettings(HEARTBEAT_INTERVAL, MISSED_HEARTBEATS_LIMIT, BACKOFF_INITIAL, BACKOFF_CAP);

    public ClientSettings {
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(backoffInitial, "backoffInitial");
        Objects.requireNonNull(backoffCap, "backoffCap");
        if (heartbeatInterval.toMillis() <= 0) {
            throw new IllegalArgumentException("heartbeatInterval must be at least 1 ms, got " + heartbeatInterval);
        }
        if (missedHeartbeatsLimit < 1) {
            throw new IllegalArgumentException(
                    "missedHeartbeatsLimit must be at least 1, got " + missedHeartbeatsLimit);
        }
        if (backoffInitial.toMillis() <= 0 || backoffCap.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException(
                    "backoff needs 0 < initial <= cap, got " + backoffInitial + ", " + backoffCap);
        }
    }
}
