package org.multiverse.scramble.protocol.event;

import org.multiverse.scramble.protocol.v1.EventKind;

/**
 * The dotted names of event kinds ({@code portal.state}): what a person reads, and what a
 * subscription's prefixes ({@code agent subscribe portal.}) are matched against.
 */
public final class EventKinds {

    private EventKinds() {}

    /** The dotted name; exhaustive, so a kind added to wire.proto needs one here. */
    public static String dotted(EventKind kind) {
        return switch (kind) {
            case PORTAL_STATE -> "portal.state";
            case PORTAL_CRASHED -> "portal.crashed";
            case AGENT_POLICY_RELOADED -> "agent.policy-reloaded";
            case ROUTER_STATE -> "router.state";
            case RTOS_STATE -> "rtos.state";
            case RTOS_STREAM_START -> "rtos.stream.start";
            case RTOS_STREAM_SAMPLES -> "rtos.stream.samples";
            case EVENT_KIND_UNSPECIFIED, UNRECOGNIZED -> "unknown";
        };
    }

    /** Whether the kind's dotted name starts with {@code prefix} (an empty prefix matches all). */
    public static boolean matches(EventKind kind, String prefix) {
        return dotted(kind).startsWith(prefix);
    }
}
