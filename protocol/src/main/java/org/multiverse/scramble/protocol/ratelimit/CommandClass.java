package org.multiverse.scramble.protocol.ratelimit;

import org.multiverse.scramble.protocol.command.CommandCatalog;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.RateClass;

/**
 * Rate-limit classes of commands: commands of similar cost share a bucket per identity,
 * so a loop of cheap queries cannot starve a portal start, and a loop of restarts cannot
 * hammer QEMU or a router.
 */
public enum CommandClass {
    /** Read-only questions answered from the agent's memory or a quick look. */
    QUERY,
    /** Portal lifecycle: define, start, stop, snapshot... each drives QEMU. */
    LIFECYCLE,
    /** Changes to the 9p share's links. */
    SHARE,
    /** Router, VPN and Tor changes on the controller. */
    ROUTER,
    /** Anything that reaches an RTOS node over its slow link. */
    RTOS,
    /** Agent-wide actions: subscriptions, policy reload, revocation, audit verification. */
    AGENT;

    /**
     * The class of a command kind, as its descriptor in {@code commands.proto} declares it.
     *
     * @param kind the command's oneof case
     * @return its class; {@code KIND_NOT_SET} (an unknown command from a newer shell, which
     *     is answered with an error and does nothing) is charged as {@link #QUERY}, the
     *     cheapest class, so it is still limited
     */
    public static CommandClass of(Command.KindCase kind) {
        if (kind == Command.KindCase.KIND_NOT_SET) {
            return QUERY;
        }
        return of(CommandCatalog.of(kind).rateClass());
    }

    /** The bucket of a declared rate class; exhaustive, so a new class in the schema needs one here. */
    public static CommandClass of(RateClass declared) {
        return switch (declared) {
            case QUERY -> QUERY;
            case LIFECYCLE -> LIFECYCLE;
            case SHARE -> SHARE;
            case ROUTER_CHANGE -> ROUTER;
            case RTOS_IO -> RTOS;
            case AGENT_WIDE -> AGENT;
            case RATE_CLASS_UNSPECIFIED, UNRECOGNIZED ->
                throw new IllegalArgumentException("a command without a rate class: " + declared);
        };
    }
}
